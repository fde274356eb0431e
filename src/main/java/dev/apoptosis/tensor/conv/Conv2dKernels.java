package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.gemm.Gemm;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.Arrays;

/**
 * 2-D convolution over NCHW float32 tensors: forward and the three gradients, with stride,
 * padding, dilation and groups (see {@link ConvGeometry} for the shapes).
 *
 * <p>Every operation comes in two forms: one that returns a new tensor, and an {@code ...Into}
 * form that writes into a caller's tensor and, with {@code accumulate = true}, adds to what is
 * there instead of overwriting it. The second-order passes need sums of convolutions, e.g. the
 * tangent {@code ẏ = Ẇ⋆x + ḃ + W⋆ẋ}, which become
 * {@code forwardInto(g, x, wDot, bDot, yDot, false); forwardInto(g, xDot, w, null, yDot, true)}
 * without temporaries.
 *
 * <p>Depthwise convolutions (groups = inChannels = outChannels) run a direct per-plane kernel;
 * 3x3 stride-1 ungrouped convolutions with enough channels run as Winograd F(2x2, 3x3) (see
 * {@code WinogradConv2d}; {@link Winograd} switches it), which needs 2.25x fewer multiplications;
 * outputs of at most 8x8 over a batch of 32 or more images (VGG's deep layers) run as an implicit
 * GEMM that skips the padded taps ({@code ImplicitGemmConv2d}, the same values as im2col + GEMM);
 * 3x3 pad-1 stride-1 layers of 16 or more channels at 16x16 and wider (ResNet's first stage, pruned
 * widths) as an implicit GEMM over padded planes ({@code PaddedPlaneConv2d}, again the same values),
 * their weight gradients as dot products over those planes ({@code PaddedPlaneWeightGradient}); 3x3
 * stride-2 pad-1 layers onto outputs 16 wide and more over the input's four phase planes
 * ({@code PhasePlaneConv2d}, the same values; their weight gradients by {@code PaddedPlaneWeightGradient}
 * too, as are those of layers with at most 16 filters at 4 pixels wide and more; their input gradients
 * as four small convolutions, one per phase of the input, {@code PhaseGradientConv2d}, up to 64 output
 * channels; the implicit GEMMs in their order of preference: {@code ImplicitPath}); weight gradients of
 * stride-1 layers 6 to 15 pixels wide whose channels are no multiple of 32 (pruned 8x8 stages) as dot
 * products along the batch ({@code BatchInnerWeightGradient});
 * everything else runs as im2col + {@link Gemm#sgemm} (see {@code GemmConv2d}), so speed follows
 * the GEMM. Results are bit-identical whatever {@link Parallel#threads()} is. Inputs and outputs
 * must not share storage. Every shape check throws {@link IllegalArgumentException} naming
 * {@code conv2d}, the tensor, its shape and the expected shape.
 */
public final class Conv2dKernels {
    private Conv2dKernels() {}

    /** {@code y = conv(x, w) + bias}: x {@code [N,Cin,H,W]}, w {@code [Cout,Cin/G,kH,kW]}, bias {@code [Cout]} or null. */
    public static Tensor forward(ConvGeometry g, Tensor x, Tensor w, Tensor bias) {
        Tensor y = Tensor.uninitialized(g.outputShape());
        forwardInto(g, x, w, bias, y, false);
        return y;
    }

    /** {@code y = conv(x, w) + bias}, or {@code y += conv(x, w) + bias} when {@code accumulate}; bias may be null. */
    public static void forwardInto(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y, boolean accumulate) {
        require(g, "input", x, g.inputShape());
        require(g, "weight", w, g.weightShape());
        if (bias != null) require(g, "bias", bias, g.biasShape());
        require(g, "output", y, g.outputShape());
        requireDisjoint(g, "output", y, x, w, bias);
        if (g.isDepthwise()) {
            DepthwiseConv2d.forward(g, x, w, bias, y, accumulate);
        } else if (WinogradConv2d.useForward(g)) {
            WinogradConv2d.forward(g, new Tensor[] {x}, new Tensor[] {w}, bias, y, accumulate);
        } else {
            GemmConv2d.forward(g, x, w, bias, y, accumulate);
        }
    }

    /**
     * {@code y = conv(x1, w1) + conv(x2, w2) + bias}, or {@code y +=} that when {@code accumulate}
     * (bias may be null): the tangent {@code W⋆ẋ + Ẇ⋆x + ḃ} of a convolution. Under Winograd the two
     * transformed inputs, and where patch matrices are built (not depthwise, not an unpadded 1x1
     * stride-1 kernel) the two patch matrices, are stacked along the GEMM's inner dimension, so y is
     * written once; otherwise two passes. Equal to two
     * {@link #forwardInto} calls up to float rounding.
     */
    public static void forwardPairInto(ConvGeometry g, Tensor x1, Tensor w1, Tensor x2, Tensor w2, Tensor bias, Tensor y,
                                       boolean accumulate) {
        require(g, "first input", x1, g.inputShape());
        require(g, "first weight", w1, g.weightShape());
        require(g, "second input", x2, g.inputShape());
        require(g, "second weight", w2, g.weightShape());
        if (bias != null) require(g, "bias", bias, g.biasShape());
        require(g, "output", y, g.outputShape());
        requireDisjoint(g, "output", y, x1, w1, bias);
        requireDisjoint(g, "output", y, x2, w2, null);
        if (!g.isDepthwise() && WinogradConv2d.useForward(g)) {
            WinogradConv2d.forward(g, new Tensor[] {x1, x2}, new Tensor[] {w1, w2}, bias, y, accumulate);
            return;
        }
        if (g.isDepthwise() || GemmConv2d.inPlacePatches(g)) {
            forwardInto(g, x1, w1, bias, y, accumulate);
            forwardInto(g, x2, w2, null, y, true);
            return;
        }
        GemmConv2d.forward(g, new Tensor[] {x1, x2}, new Tensor[] {w1, w2}, bias, y, accumulate);
    }

    /**
     * {@code gx = conv^T(gy1, w1) + conv^T(gy2, w2)}, or {@code gx +=} that: the R-adjoint
     * {@code Wᵀ⋆ġ + Ẇᵀ⋆g} of a convolution's input. Under Winograd and with stride 1 one GEMM (per
     * Winograd position) with a doubled inner dimension; otherwise two passes. Equal to two {@link #backwardInputInto} calls up to float rounding.
     */
    public static void backwardInputPairInto(ConvGeometry g, Tensor gy1, Tensor w1, Tensor gy2, Tensor w2, Tensor gx,
                                             boolean accumulate) {
        require(g, "first output gradient", gy1, g.outputShape());
        require(g, "first weight", w1, g.weightShape());
        require(g, "second output gradient", gy2, g.outputShape());
        require(g, "second weight", w2, g.weightShape());
        require(g, "input gradient", gx, g.inputShape());
        requireDisjoint(g, "input gradient", gx, gy1, w1, null);
        requireDisjoint(g, "input gradient", gx, gy2, w2, null);
        if (g.isDepthwise()) {
            backwardInputInto(g, gy1, w1, gx, accumulate);
            backwardInputInto(g, gy2, w2, gx, true);
            return;
        }
        if (WinogradConv2d.useBackwardInput(g)) {
            WinogradConv2d.backwardInput(g, new Tensor[] {gy1, gy2}, new Tensor[] {w1, w2}, gx, accumulate);
            return;
        }
        GemmConv2d.backwardInputPair(g, gy1, w1, gy2, w2, gx, accumulate);
    }

    /** Gradient with respect to the input: gy {@code [N,Cout,Hout,Wout]}, w -> gx {@code [N,Cin,H,W]}. */
    public static Tensor backwardInput(ConvGeometry g, Tensor gy, Tensor w) {
        Tensor gx = Tensor.uninitialized(g.inputShape());
        backwardInputInto(g, gy, w, gx, false);
        return gx;
    }

    /** Input gradient written to (or, when {@code accumulate}, added to) {@code gx}. */
    public static void backwardInputInto(ConvGeometry g, Tensor gy, Tensor w, Tensor gx, boolean accumulate) {
        require(g, "output gradient", gy, g.outputShape());
        require(g, "weight", w, g.weightShape());
        require(g, "input gradient", gx, g.inputShape());
        requireDisjoint(g, "input gradient", gx, gy, w, null);
        if (g.isDepthwise()) {
            DepthwiseConv2d.backwardInput(g, gy, w, gx, accumulate);
        } else if (WinogradConv2d.useBackwardInput(g)) {
            WinogradConv2d.backwardInput(g, new Tensor[] {gy}, new Tensor[] {w}, gx, accumulate);
        } else {
            GemmConv2d.backwardInput(g, gy, w, gx, accumulate);
        }
    }

    /** Gradient with respect to the weight, summed over the batch: x, gy -> gw {@code [Cout,Cin/G,kH,kW]}. */
    public static Tensor backwardWeight(ConvGeometry g, Tensor x, Tensor gy) {
        Tensor gw = Tensor.zeros(g.weightShape());
        backwardWeightInto(g, x, gy, gw, false);
        return gw;
    }

    /** Weight gradient written to (or, when {@code accumulate}, added to) {@code gw}. */
    public static void backwardWeightInto(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        require(g, "input", x, g.inputShape());
        require(g, "output gradient", gy, g.outputShape());
        require(g, "weight gradient", gw, g.weightShape());
        requireDisjoint(g, "weight gradient", gw, x, gy, null);
        if (g.isDepthwise()) {
            DepthwiseConv2d.backwardWeight(g, x, gy, gw, accumulate);
        } else if (WinogradConv2d.useBackwardWeight(g)) {
            WinogradConv2d.backwardWeight(g, x, gy, gw, accumulate);
        } else {
            GemmConv2d.backwardWeight(g, x, gy, gw, accumulate);
        }
    }

    /** Gradient with respect to the bias: gy summed over images and pixels, in double precision. */
    public static Tensor backwardBias(ConvGeometry g, Tensor gy) {
        Tensor gb = Tensor.zeros(g.biasShape());
        backwardBiasInto(g, gy, gb, false);
        return gb;
    }

    /**
     * Bias gradient written to (or, when {@code accumulate}, added to) {@code gb}. Each channel is
     * summed by one thread over images in order, with four interleaved double accumulators over
     * pixels, so the result does not depend on the thread count.
     */
    public static void backwardBiasInto(ConvGeometry g, Tensor gy, Tensor gb, boolean accumulate) {
        require(g, "output gradient", gy, g.outputShape());
        require(g, "bias gradient", gb, g.biasShape());
        requireDisjoint(g, "bias gradient", gb, gy, null, null);
        final int c = g.outChannels(), p = g.outH() * g.outW(), n = g.n();
        final float[] gyd = gy.data(), gbd = gb.data();
        final int gyo = gy.offset(), gbo = gb.offset();
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int i = 0; i < n; i++) {
                    int base = gyo + (i * c + ch) * p;
                    int q = 0;
                    for (; q + 3 < p; q += 4) {
                        s0 += gyd[base + q];
                        s1 += gyd[base + q + 1];
                        s2 += gyd[base + q + 2];
                        s3 += gyd[base + q + 3];
                    }
                    for (; q < p; q++) s0 += gyd[base + q];
                }
                double s = (s0 + s1) + (s2 + s3);
                gbd[gbo + ch] = accumulate ? (float) (gbd[gbo + ch] + s) : (float) s;
            }
        });
    }

    private static void require(ConvGeometry g, String what, Tensor t, int[] expected) {
        if (t == null) throw new IllegalArgumentException("conv2d: " + what + " is null; expected shape "
                + Arrays.toString(expected) + " for " + g);
        if (!t.hasShape(expected)) {
            throw new IllegalArgumentException("conv2d: " + what + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(expected) + " for " + g);
        }
    }

    /** Kernels write their result while still reading operands: overlapping storage would corrupt it. */
    private static void requireDisjoint(ConvGeometry g, String what, Tensor out, Tensor a, Tensor b, Tensor c) {
        for (Tensor in : new Tensor[] {a, b, c}) {
            if (in != null && in.data() == out.data() && in.offset() < out.offset() + out.size()
                    && out.offset() < in.offset() + in.size()) {
                throw new IllegalArgumentException("conv2d: " + what + " " + Arrays.toString(out.shape())
                        + " shares storage with an operand of shape " + Arrays.toString(in.shape()) + " for " + g);
            }
        }
    }
}
