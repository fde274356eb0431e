package dev.apoptosis.tensor.window;

/**
 * The complete shape description of a 2-D convolution over NCHW float32 tensors.
 *
 * <p>A convolution slides {@code outChannels} filters of size {@code kernelH x kernelW} over an
 * input of {@code n} images with {@code inChannels} planes of {@code inH x inW}. The input is
 * conceptually zero-padded by {@code padH}/{@code padW} on each side; filter taps are
 * {@code dilationH}/{@code dilationW} apart and the filter moves {@code strideH}/{@code strideW} per
 * output pixel. With {@code groups = G}, input and output channels are split into G equal blocks and
 * output block g only sees input block g (G = inChannels = outChannels is a depthwise convolution).
 *
 * <p>Tensor shapes, exactly as in PyTorch: input {@code [n, inChannels, inH, inW]}, weight
 * {@code [outChannels, inChannels/groups, kernelH, kernelW]}, bias {@code [outChannels]}, output
 * {@code [n, outChannels, outH, outW]} with
 * {@code outH = (inH + 2 padH - dilationH (kernelH - 1) - 1) / strideH + 1} (floor division).
 *
 * <p>Instances are immutable and validated on construction: an impossible geometry throws
 * {@link IllegalArgumentException} saying which constraint failed. Build one with
 * {@link #builder()} (square defaults: stride 1, padding 0, dilation 1, groups 1) or the canonical
 * constructor.
 */
public record ConvGeometry(int n, int inChannels, int inH, int inW, int outChannels, int kernelH, int kernelW,
                           int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    public ConvGeometry {
        SlidingWindow.positive(OP, "batch n", n);
        SlidingWindow.positive(OP, "inChannels", inChannels);
        SlidingWindow.positive(OP, "inH", inH);
        SlidingWindow.positive(OP, "inW", inW);
        SlidingWindow.positive(OP, "outChannels", outChannels);
        SlidingWindow.positive(OP, "groups", groups);
        SlidingWindow.checkWindow(OP, "kernel", inH, inW, kernelH, kernelW, strideH, strideW, padH, padW,
                dilationH, dilationW);
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d: inChannels=" + inChannels + " is not divisible by groups=" + groups);
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d: outChannels=" + outChannels + " is not divisible by groups=" + groups);
        }
        long outH = SlidingWindow.outSize(inH, kernelH, strideH, padH, dilationH);
        long outW = SlidingWindow.outSize(inW, kernelW, strideW, padW, dilationW);
        long inSize = (long) n * inChannels * inH * inW;
        long outSize = (long) n * outChannels * outH * outW;
        long colSize = (long) (inChannels / groups) * kernelH * kernelW * outH * outW;
        if (inSize > Integer.MAX_VALUE - 8 || outSize > Integer.MAX_VALUE - 8 || colSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2d: tensors of this geometry exceed 2^31 elements: " + describe(
                    n, inChannels, inH, inW, outChannels, kernelH, kernelW));
        }
    }

    private static final String OP = "conv2d";

    private static String describe(int n, int cin, int h, int w, int cout, int kh, int kw) {
        return "input [" + n + ", " + cin + ", " + h + ", " + w + "], " + cout + " filters of " + kh + "x" + kw;
    }

    /** Output height. */
    public int outH() {
        return (int) SlidingWindow.outSize(inH, kernelH, strideH, padH, dilationH);
    }

    /** Output width. */
    public int outW() {
        return (int) SlidingWindow.outSize(inW, kernelW, strideW, padW, dilationW);
    }

    /** Input channels each filter sees: {@code inChannels / groups}. */
    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    /** Output channels of one group: {@code outChannels / groups}. */
    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    /** True for a depthwise convolution: one input and one output channel per group. */
    public boolean isDepthwise() {
        return groups == inChannels && groups == outChannels;
    }

    /** Multiply-adds of one forward pass: {@code n * outChannels * outH * outW * (inChannels/groups) * kH * kW}. */
    public long macs() {
        return (long) n * outChannels * outH() * outW() * inChannelsPerGroup() * kernelH * kernelW;
    }

    public int[] inputShape() {
        return new int[] {n, inChannels, inH, inW};
    }

    public int[] weightShape() {
        return new int[] {outChannels, inChannelsPerGroup(), kernelH, kernelW};
    }

    public int[] biasShape() {
        return new int[] {outChannels};
    }

    public int[] outputShape() {
        return new int[] {n, outChannels, outH(), outW()};
    }

    /** The same convolution over a different batch size (the weight shape does not depend on it). */
    public ConvGeometry withBatch(int batch) {
        return new ConvGeometry(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW, padH,
                padW, dilationH, dilationW, groups);
    }

    @Override
    public String toString() {
        return "conv2d(" + describe(n, inChannels, inH, inW, outChannels, kernelH, kernelW) + ", stride " + strideH
                + "x" + strideW + ", pad " + padH + "x" + padW + ", dilation " + dilationH + "x" + dilationW
                + ", groups " + groups + " -> output [" + n + ", " + outChannels + ", " + outH() + ", " + outW() + "])";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction; unset values default to stride 1, padding 0, dilation 1, groups 1. */
    public static final class Builder extends WindowBuilder<Builder> {
        private int outChannels, groups = 1;

        private Builder() {}

        public Builder outChannels(int c) {
            this.outChannels = c;
            return this;
        }

        public Builder groups(int g) {
            this.groups = g;
            return this;
        }

        public ConvGeometry build() {
            return new ConvGeometry(n, channels, inH, inW, outChannels, kernelH, kernelW, strideH(1), strideW(1),
                    padH, padW, dilationH, dilationW, groups);
        }
    }
}
