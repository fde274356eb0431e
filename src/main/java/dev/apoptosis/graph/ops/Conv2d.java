package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.tensor.Recycler;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.Conv2dKernels;
import dev.apoptosis.tensor.elementwise.Elementwise;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * 2-D convolution over an image sample [Cin, H, W]: y = W ⋆ x + b with W [Cout, Cin/G, kH, kW] and
 * b [Cout], with stride, zero padding, dilation and G groups, exactly as PyTorch's {@code nn.Conv2d}
 * (see {@link ConvGeometry} for the output size). The input channel count is read from the input
 * shape, so pruning the producer only changes this layer's weight, not its attributes.
 *
 * <p>Initialisation: weight Kaiming-normal with fan-out and ReLU gain, N(0, 2/(Cout·kH·kW)), as the
 * OBA paper's CIFAR models (and torchvision's ResNets) do; bias zeros, as those models'
 * initialisers set it (the OBA CIFAR models have no conv bias at all: build them with
 * {@code bias(false)}).
 *
 * <p>Rules (⋆ is the convolution, ⋆ᵀ its transposes: the input and weight gradients of the kernels):
 * <ul>
 * <li>forward: y = W ⋆ x + b</li>
 * <li>backward: g_x = Wᵀ ⋆ g_y; g_W = g_y ⋆ xᵀ; g_b = Σ_{n,h,w} g_y</li>
 * <li>tangent: ẏ = W ⋆ ẋ + Ẇ ⋆ x + ḃ (the two convolutions as one GEMM, see {@link Conv2dKernels#forwardPairInto})</li>
 * <li>rBackward: ġ_x = Wᵀ ⋆ ġ_y [+ Ẇᵀ ⋆ g_y]; ġ_W = ġ_y ⋆ xᵀ [+ g_y ⋆ ẋᵀ]; ġ_b = Σ ġ_y; bracketed
 *     terms are bilinear (weight × activation), included when {@link Curvature#bilinear()}.</li>
 * </ul>
 * Properties: a {@link OpProperty#PARAMETER_LAYER}. Weight axes: output channels 0, input channels 1
 * (how channels flow through it is its line in {@code prune.channels.ChannelRules}).
 */
public final class Conv2d extends Op {
    private final int out;
    private final int kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, groups;
    private final boolean bias;

    private Conv2d(Builder b) {
        this.out = b.out;
        this.kernelH = b.kernelH;
        this.kernelW = b.kernelW;
        this.strideH = b.strideH;
        this.strideW = b.strideW;
        this.padH = b.padH;
        this.padW = b.padW;
        this.dilationH = b.dilationH;
        this.dilationW = b.dilationW;
        this.groups = b.groups;
        this.bias = b.bias;
        positive("out channels", out);
        positive("kernel height", kernelH);
        positive("kernel width", kernelW);
        positive("stride height", strideH);
        positive("stride width", strideW);
        positive("dilation height", dilationH);
        positive("dilation width", dilationW);
        positive("groups", groups);
        if (padH < 0 || padW < 0) throw new IllegalArgumentException("Conv2d: padding must be >= 0, got " + padH + "x" + padW);
        if (out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: out channels " + out + " not divisible by groups " + groups);
        }
    }

    private static void positive(String what, int v) {
        if (v < 1) throw new IllegalArgumentException("Conv2d: " + what + " must be >= 1, got " + v);
    }

    /** A builder for {@code outChannels} filters of {@code kernel × kernel}; stride 1, padding 0, dilation 1, 1 group, with bias. */
    public static Builder builder(int outChannels, int kernel) {
        return new Builder(outChannels, kernel, kernel);
    }

    /** A builder for a {@code kernelH × kernelW} kernel. */
    public static Builder builder(int outChannels, int kernelH, int kernelW) {
        return new Builder(outChannels, kernelH, kernelW);
    }

    /** The usual CNN layer: square kernel, stride and padding, one group, dilation 1, with or without bias. */
    public static Conv2d of(int outChannels, int kernel, int stride, int padding, boolean bias) {
        return builder(outChannels, kernel).stride(stride).padding(padding).bias(bias).build();
    }

    static Conv2d fromAttrs(Attrs a) {
        int[] k = pair(a, "kernel", null), s = pair(a, "stride", new int[] {1, 1}), p = pair(a, "padding", new int[] {0, 0});
        int[] d = pair(a, "dilation", new int[] {1, 1});
        return builder(a.getInt("out"), k[0], k[1]).stride(s[0], s[1]).padding(p[0], p[1]).dilation(d[0], d[1])
                .groups(a.getInt("groups", 1)).bias(a.getBool("bias", true)).build();
    }

    private static int[] pair(Attrs a, String name, int[] dflt) {
        if (!a.has(name) && dflt != null) return dflt;
        int[] v = a.getInts(name);
        if (v.length != 2) throw new IllegalArgumentException("Conv2d: attribute '" + name + "' must have 2 values, got " + Arrays.toString(v));
        return v;
    }

    public int outChannels() {
        return out;
    }

    public int groups() {
        return groups;
    }

    public boolean hasBias() {
        return bias;
    }

    /** A builder holding this layer's settings, e.g. to derive a copy with fewer output channels. */
    public Builder toBuilder() {
        return new Builder(out, kernelH, kernelW).stride(strideH, strideW).padding(padH, padW)
                .dilation(dilationH, dilationW).groups(groups).bias(bias);
    }

    @Override public String kind() { return "Conv2d"; }

    @Override
    public Attrs attrs() {
        return Attrs.builder().put("out", out).put("kernel", kernelH, kernelW).put("stride", strideH, strideW)
                .put("padding", padH, padW).put("dilation", dilationH, dilationW).put("groups", groups)
                .put("bias", bias).build();
    }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PARAMETER_LAYER);
    }

    @Override public int arity() { return 1; }

    /** The geometry for a batch of {@code n} samples of shape {@code in} ([C, H, W]); errors name the op and the shape. */
    public ConvGeometry geometry(int n, int[] in) {
        if (in.length != 3) {
            throw new IllegalArgumentException("Conv2d: input must be an image [C, H, W], got " + Arrays.toString(in));
        }
        if (in[0] % groups != 0) {
            throw new IllegalArgumentException("Conv2d: input channels " + in[0] + " of input " + Arrays.toString(in)
                    + " not divisible by groups " + groups);
        }
        try {
            return new ConvGeometry(n, in[0], in[1], in[2], out, kernelH, kernelW, strideH, strideW, padH, padW,
                    dilationH, dilationW, groups);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Conv2d: input " + Arrays.toString(in) + ": " + e.getMessage(), e);
        }
    }

    private ConvGeometry geometry(Frame f) {
        int[] s = f.inputs[0].shape();
        return geometry(s[0], Arrays.copyOfRange(s, 1, s.length));
    }

    @Override
    public int[] outputShape(int[][] in) {
        ConvGeometry g = geometry(1, in[0]);
        return new int[] {out, g.outH(), g.outW()};
    }

    @Override
    public List<ParamSpec> params(int[][] in) {
        int cinPerGroup = in[0][0] / groups;
        List<ParamSpec> ps = new ArrayList<>();
        ps.add(ParamSpec.weight("weight", new int[] {out, cinPerGroup, kernelH, kernelW}, Init.KAIMING_NORMAL_FAN_OUT, 0, 1));
        if (bias) ps.add(ParamSpec.weight("bias", new int[] {out}, Init.ZEROS, 0, -1));
        return ps;
    }

    @Override
    public long macs(int[][] in, int[] outShape) {
        return geometry(1, in[0]).macs();
    }


    @Override
    public Tensor forward(Frame f) {
        return Conv2dKernels.forward(geometry(f), f.inputs[0], f.params[0], bias ? f.params[1] : null);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        ConvGeometry g = geometry(f);
        if (out.wantsInput(0)) out.inputNew(0, Conv2dKernels.backwardInput(g, gy, f.params[0]));
        if (out.wantsParam(0)) {
            out.param(0, Conv2dKernels.backwardWeight(g, f.inputs[0], gy));
            if (bias) out.param(1, Conv2dKernels.backwardBias(g, gy));
        }
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        Tensor wDot = pDot[0], bDot = bias ? pDot[1] : null;
        if (xDot[0] == null && wDot == null && bDot == null) return null;
        ConvGeometry g = geometry(f);
        // Written in full by every branch but the last, which adds the bias to zeros.
        Tensor y = xDot[0] == null && wDot == null ? Tensor.zeros(g.outputShape()) : Tensor.uninitialized(g.outputShape());
        if (xDot[0] != null && wDot != null && SelfDirection.is(wDot, f.params[0])) {
            // Ẇ = W (v = θ): W⋆ẋ + Ẇ⋆x + ḃ = W⋆(x + ẋ) + ḃ, one convolution.
            Tensor sum = Elementwise.add(f.inputs[0], xDot[0]);
            Conv2dKernels.forwardInto(g, sum, f.params[0], bDot, y, false);
            Recycler.give(sum.data());
        } else if (xDot[0] != null && wDot != null) {
            // W⋆ẋ + Ẇ⋆x + ḃ as one GEMM with the two patch matrices stacked.
            Conv2dKernels.forwardPairInto(g, xDot[0], f.params[0], f.inputs[0], wDot, bDot, y, false);
        } else if (xDot[0] != null || wDot != null) {
            Conv2dKernels.forwardInto(g, xDot[0] != null ? xDot[0] : f.inputs[0], xDot[0] != null ? f.params[0] : wDot, bDot, y, false);
        } else {
            addBias(y, bDot);
        }
        return y;
    }

    /** y[n, c, :, :] += b[c] in place: only reached when the bias is the sole non-zero direction. */
    private static void addBias(Tensor y, Tensor b) {
        float[] bias = b.offset() == 0 ? b.data() : b.toArray();
        Elementwise.addPerChannel(y.data(), y.offset(), bias, y.data(), y.offset(), y.dim(0), y.dim(1), y.dim(2) * y.dim(3));
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        ConvGeometry g = geometry(f);
        Tensor x = f.inputs[0], w = f.params[0], wDot = pDot[0];
        boolean bil = c.bilinear();
        if (out.wantsInput(0) && (gyDot != null || (bil && wDot != null))) {
            Tensor gx = Tensor.uninitialized(g.inputShape());
            if (gyDot != null && bil && SelfDirection.is(wDot, w)) {
                // Ẇ = W (v = θ): Wᵀ⋆ġ_y + Ẇᵀ⋆g_y = Wᵀ⋆(ġ_y + g_y), one convolution.
                Tensor sum = Elementwise.add(gyDot, gy);
                Conv2dKernels.backwardInputInto(g, sum, w, gx, false);
                Recycler.give(sum.data());
            } else if (gyDot != null && bil && wDot != null) {
                // Wᵀ⋆ġ_y + Ẇᵀ⋆g_y as one GEMM with a doubled inner dimension (stride 1).
                Conv2dKernels.backwardInputPairInto(g, gyDot, w, gy, wDot, gx, false);
            } else {
                Conv2dKernels.backwardInputInto(g, gyDot != null ? gyDot : gy, gyDot != null ? w : wDot, gx, false);
            }
            out.inputNew(0, gx);
        }
        if (out.wantsParam(0) && (gyDot != null || (bil && xDot[0] != null))) {
            Tensor gw = Tensor.zeros(g.weightShape());
            boolean acc = false;
            if (gyDot != null) {
                Conv2dKernels.backwardWeightInto(g, x, gyDot, gw, false);
                acc = true;
            }
            if (bil && xDot[0] != null) Conv2dKernels.backwardWeightInto(g, xDot[0], gy, gw, acc);
            out.param(0, gw);
            if (bias && gyDot != null) out.param(1, Conv2dKernels.backwardBias(g, gyDot));
        }
    }

    /** Settings of a convolution; unset values default to stride 1, padding 0, dilation 1, one group, bias on. */
    public static final class Builder {
        private final int out, kernelH, kernelW;
        private int strideH = 1, strideW = 1, padH, padW, dilationH = 1, dilationW = 1, groups = 1;
        private boolean bias = true;

        private Builder(int out, int kernelH, int kernelW) {
            this.out = out;
            this.kernelH = kernelH;
            this.kernelW = kernelW;
        }

        /** A builder like this one with another number of output channels (what pruning changes). */
        public Builder withOutChannels(int outChannels) {
            return new Builder(outChannels, kernelH, kernelW).stride(strideH, strideW).padding(padH, padW)
                    .dilation(dilationH, dilationW).groups(groups).bias(bias);
        }

        public Builder stride(int s) {
            return stride(s, s);
        }

        public Builder stride(int sh, int sw) {
            strideH = sh;
            strideW = sw;
            return this;
        }

        public Builder padding(int p) {
            return padding(p, p);
        }

        public Builder padding(int ph, int pw) {
            padH = ph;
            padW = pw;
            return this;
        }

        public Builder dilation(int d) {
            return dilation(d, d);
        }

        public Builder dilation(int dh, int dw) {
            dilationH = dh;
            dilationW = dw;
            return this;
        }

        public Builder groups(int g) {
            groups = g;
            return this;
        }

        public Builder bias(boolean b) {
            bias = b;
            return this;
        }

        public Conv2d build() {
            return new Conv2d(this);
        }
    }
}
