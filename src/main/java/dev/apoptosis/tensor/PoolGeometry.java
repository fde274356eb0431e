package dev.apoptosis.tensor;

/**
 * The shape description of a 2-D max or average pooling over NCHW float32 tensors.
 *
 * <p>A window of {@code kernelH x kernelW} input positions, {@code dilationH}/{@code dilationW}
 * apart, moves {@code strideH}/{@code strideW} per output pixel over each of the {@code n x channels}
 * planes of {@code inH x inW}, which are padded by {@code padH}/{@code padW} on each side. Shapes
 * follow PyTorch with {@code ceil_mode=False}: input {@code [n, channels, inH, inW]}, output
 * {@code [n, channels, outH, outW]}, {@code outH = (inH + 2 padH - dilationH (kernelH - 1) - 1) /
 * strideH + 1} (floor division). As in PyTorch, padding may be at most half the kernel size, and
 * average pooling does not support dilation (it throws when asked to).
 *
 * <p>Immutable and validated on construction; build with {@link #builder()}, where the stride
 * defaults to the kernel size (PyTorch's default), padding to 0 and dilation to 1.
 */
public record PoolGeometry(int n, int channels, int inH, int inW, int kernelH, int kernelW, int strideH,
                           int strideW, int padH, int padW, int dilationH, int dilationW) {

    public PoolGeometry {
        positive("batch n", n);
        positive("channels", channels);
        positive("inH", inH);
        positive("inW", inW);
        positive("kernelH", kernelH);
        positive("kernelW", kernelW);
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("pool2d: padding must be >= 0, got padH=" + padH + ", padW=" + padW);
        }
        if (padH > kernelH / 2 || padW > kernelW / 2) {
            throw new IllegalArgumentException("pool2d: padding must be at most half the kernel size, got padding "
                    + padH + "x" + padW + " for kernel " + kernelH + "x" + kernelW);
        }
        long spanH = (long) dilationH * (kernelH - 1) + 1, spanW = (long) dilationW * (kernelW - 1) + 1;
        if (inH + 2L * padH < spanH || inW + 2L * padW < spanW) {
            throw new IllegalArgumentException("pool2d: output size would be < 1: padded input " + (inH + 2L * padH)
                    + "x" + (inW + 2L * padW) + " is smaller than the dilated window " + spanH + "x" + spanW);
        }
        if ((long) n * channels * inH * inW > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pool2d: input [" + n + ", " + channels + ", " + inH + ", " + inW
                    + "] exceeds 2^31 elements");
        }
    }

    private static void positive(String what, int v) {
        if (v < 1) throw new IllegalArgumentException("pool2d: " + what + " must be >= 1, got " + v);
    }

    public int outH() {
        return (inH + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH + 1;
    }

    public int outW() {
        return (inW + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1;
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
                dilationH, dilationW);
    }

    @Override
    public String toString() {
        return "pool2d(input [" + n + ", " + channels + ", " + inH + ", " + inW + "], kernel " + kernelH + "x"
                + kernelW + ", stride " + strideH + "x" + strideW + ", pad " + padH + "x" + padW + ", dilation "
                + dilationH + "x" + dilationW + " -> output [" + n + ", " + channels + ", " + outH() + ", " + outW()
                + "])";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction; the stride defaults to the kernel size, padding to 0, dilation to 1. */
    public static final class Builder {
        private int n = 1, channels, inH, inW, kernelH, kernelW, padH, padW;
        /** -1 until set: the stride then defaults to the kernel size. */
        private int strideH = -1, strideW = -1;
        private int dilationH = 1, dilationW = 1;

        private Builder() {}

        public Builder batch(int n) {
            this.n = n;
            return this;
        }

        public Builder input(int channels, int h, int w) {
            this.channels = channels;
            this.inH = h;
            this.inW = w;
            return this;
        }

        public Builder kernel(int k) {
            return kernel(k, k);
        }

        public Builder kernel(int kh, int kw) {
            this.kernelH = kh;
            this.kernelW = kw;
            return this;
        }

        public Builder stride(int s) {
            return stride(s, s);
        }

        public Builder stride(int sh, int sw) {
            this.strideH = sh;
            this.strideW = sw;
            return this;
        }

        public Builder padding(int p) {
            return padding(p, p);
        }

        public Builder padding(int ph, int pw) {
            this.padH = ph;
            this.padW = pw;
            return this;
        }

        public Builder dilation(int d) {
            return dilation(d, d);
        }

        public Builder dilation(int dh, int dw) {
            this.dilationH = dh;
            this.dilationW = dw;
            return this;
        }

        public PoolGeometry build() {
            return new PoolGeometry(n, channels, inH, inW, kernelH, kernelW, strideH == -1 ? kernelH : strideH,
                    strideW == -1 ? kernelW : strideW, padH, padW, dilationH, dilationW);
        }
    }
}
