package dev.apoptosis.tensor;

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
        positive("batch n", n);
        positive("inChannels", inChannels);
        positive("inH", inH);
        positive("inW", inW);
        positive("outChannels", outChannels);
        positive("kernelH", kernelH);
        positive("kernelW", kernelW);
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        positive("groups", groups);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: padding must be >= 0, got padH=" + padH + ", padW=" + padW);
        }
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d: inChannels=" + inChannels + " is not divisible by groups=" + groups);
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d: outChannels=" + outChannels + " is not divisible by groups=" + groups);
        }
        long spanH = (long) dilationH * (kernelH - 1) + 1, spanW = (long) dilationW * (kernelW - 1) + 1;
        if (inH + 2L * padH < spanH || inW + 2L * padW < spanW) {
            throw new IllegalArgumentException("conv2d: output size would be < 1: padded input " + (inH + 2L * padH)
                    + "x" + (inW + 2L * padW) + " is smaller than the dilated kernel " + spanH + "x" + spanW
                    + " (input " + inH + "x" + inW + ", kernel " + kernelH + "x" + kernelW + ", padding "
                    + padH + "x" + padW + ", dilation " + dilationH + "x" + dilationW + ")");
        }
        long inSize = (long) n * inChannels * inH * inW;
        long outSize = (long) n * outChannels * outSize(inH, kernelH, strideH, padH, dilationH)
                * outSize(inW, kernelW, strideW, padW, dilationW);
        long colSize = (long) (inChannels / groups) * kernelH * kernelW
                * outSize(inH, kernelH, strideH, padH, dilationH) * outSize(inW, kernelW, strideW, padW, dilationW);
        if (inSize > Integer.MAX_VALUE - 8 || outSize > Integer.MAX_VALUE - 8 || colSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2d: tensors of this geometry exceed 2^31 elements: " + describe(
                    n, inChannels, inH, inW, outChannels, kernelH, kernelW));
        }
    }

    private static void positive(String what, int v) {
        if (v < 1) throw new IllegalArgumentException("conv2d: " + what + " must be >= 1, got " + v);
    }

    private static long outSize(int in, int k, int s, int p, int d) {
        return (in + 2L * p - (long) d * (k - 1) - 1) / s + 1;
    }

    private static String describe(int n, int cin, int h, int w, int cout, int kh, int kw) {
        return "input [" + n + ", " + cin + ", " + h + ", " + w + "], " + cout + " filters of " + kh + "x" + kw;
    }

    /** Output height. */
    public int outH() {
        return (int) outSize(inH, kernelH, strideH, padH, dilationH);
    }

    /** Output width. */
    public int outW() {
        return (int) outSize(inW, kernelW, strideW, padW, dilationW);
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
    public static final class Builder {
        private int n = 1, inChannels, inH, inW, outChannels, kernelH, kernelW;
        private int strideH = 1, strideW = 1, padH, padW, dilationH = 1, dilationW = 1, groups = 1;

        private Builder() {}

        public Builder batch(int n) {
            this.n = n;
            return this;
        }

        /** Input channels and spatial size. */
        public Builder input(int channels, int h, int w) {
            this.inChannels = channels;
            this.inH = h;
            this.inW = w;
            return this;
        }

        public Builder outChannels(int c) {
            this.outChannels = c;
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

        public Builder groups(int g) {
            this.groups = g;
            return this;
        }

        public ConvGeometry build() {
            return new ConvGeometry(n, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW, padH,
                    padW, dilationH, dilationW, groups);
        }
    }
}
