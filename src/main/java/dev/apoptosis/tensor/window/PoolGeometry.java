package dev.apoptosis.tensor.window;

/**
 * The shape description of a 2-D max or average pooling over NCHW float32 tensors.
 *
 * <p>A window of {@code kernelH x kernelW} input positions, {@code dilationH}/{@code dilationW}
 * apart, moves {@code strideH}/{@code strideW} per output pixel over each of the {@code n x channels}
 * planes of {@code inH x inW}, which are padded by {@code padH}/{@code padW} on each side. Shapes
 * follow PyTorch: input {@code [n, channels, inH, inW]}, output {@code [n, channels, outH, outW]},
 * {@code outH = (inH + 2 padH - dilationH (kernelH - 1) - 1) / strideH + 1} with floor division, or
 * with {@code ceilMode} ceiling division, less one if the last window would then start past the
 * input and its left padding (PyTorch's and ONNX's {@code ceil_mode}: a last, partial window covers
 * the remainder; windows are clipped to the input as padded ones are). As in PyTorch, padding may be at most half the kernel size, and
 * average pooling does not support dilation (it throws when asked to).
 *
 * <p>Immutable and validated on construction; build with {@link #builder()}, where the stride
 * defaults to the kernel size (PyTorch's default), padding to 0 and dilation to 1.
 */
public record PoolGeometry(int n, int channels, int inH, int inW, int kernelH, int kernelW, int strideH,
                           int strideW, int padH, int padW, int dilationH, int dilationW, boolean ceilMode) {

    /** Floor mode ({@code ceil_mode=False}), PyTorch's default. */
    public PoolGeometry(int n, int channels, int inH, int inW, int kernelH, int kernelW, int strideH, int strideW, int padH,
                        int padW, int dilationH, int dilationW) {
        this(n, channels, inH, inW, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, false);
    }

    public PoolGeometry {
        SlidingWindow.positive(OP, "batch n", n);
        SlidingWindow.positive(OP, "channels", channels);
        SlidingWindow.positive(OP, "inH", inH);
        SlidingWindow.positive(OP, "inW", inW);
        SlidingWindow.checkWindow(OP, "window", inH, inW, kernelH, kernelW, strideH, strideW, padH, padW,
                dilationH, dilationW);
        if (padH > kernelH / 2 || padW > kernelW / 2) {
            throw new IllegalArgumentException("pool2d: padding must be at most half the kernel size, got padding "
                    + padH + "x" + padW + " for kernel " + kernelH + "x" + kernelW);
        }
        if ((long) n * channels * inH * inW > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pool2d: input [" + n + ", " + channels + ", " + inH + ", " + inW
                    + "] exceeds 2^31 elements");
        }
    }

    private static final String OP = "pool2d";

    public int outH() {
        return (int) outSize(inH, kernelH, strideH, padH, dilationH);
    }

    public int outW() {
        return (int) outSize(inW, kernelW, strideW, padW, dilationW);
    }

    private long outSize(int in, int kernel, int stride, int pad, int dilation) {
        if (!ceilMode) return SlidingWindow.outSize(in, kernel, stride, pad, dilation);
        long span = in + 2L * pad - (long) dilation * (kernel - 1) - 1;
        long out = Math.floorDiv(span + stride - 1, stride) + 1;
        // The last window must start inside the input or its left padding (PyTorch and ONNX agree).
        if ((out - 1) * stride >= in + pad) out--;
        return out;
    }

    public int[] inputShape() {
        return new int[] {n, channels, inH, inW};
    }

    public int[] outputShape() {
        return new int[] {n, channels, outH(), outW()};
    }

    /** Number of output elements, the length of a max-pooling arg-max array. */
    public int outputSize() {
        return n * channels * outH() * outW();
    }

    /** The same pooling over a different batch size. */
    public PoolGeometry withBatch(int batch) {
        return new PoolGeometry(batch, channels, inH, inW, kernelH, kernelW, strideH, strideW, padH, padW,
                dilationH, dilationW, ceilMode);
    }

    @Override
    public String toString() {
        return "pool2d(input [" + n + ", " + channels + ", " + inH + ", " + inW + "], kernel " + kernelH + "x"
                + kernelW + ", stride " + strideH + "x" + strideW + ", pad " + padH + "x" + padW + ", dilation "
                + dilationH + "x" + dilationW + (ceilMode ? ", ceil mode" : "") + " -> output [" + n + ", " + channels + ", " + outH() + ", " + outW()
                + "])";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction; the stride defaults to the kernel size, padding to 0, dilation to 1. */
    public static final class Builder extends WindowBuilder<Builder> {
        private Builder() {}

        public PoolGeometry build() {
            return new PoolGeometry(n, channels, inH, inW, kernelH, kernelW, strideH(kernelH), strideW(kernelW),
                    padH, padW, dilationH, dilationW);
        }
    }
}
