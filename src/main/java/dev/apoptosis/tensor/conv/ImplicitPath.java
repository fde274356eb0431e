package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * The implicit GEMMs that {@link GemmConv2d} hands a forward convolution (or the forward that
 * computes a stride-1 input gradient) to instead of building im2col's patch matrix, in order of
 * preference: the first whose rule applies takes the call. Each gives im2col + GEMM's values bit for
 * bit, so the choice is one of speed only; the table holds each path's rule and forward as data. (Winograd is chosen before, in {@link Conv2dKernels}; the
 * weight gradient's paths in {@link GemmConvWeightGradient}.)
 */
enum ImplicitPath {
    /** Outputs of at most 8x8 over whole panels of images: {@link ImplicitGemmConv2d}, skipping the padded taps. */
    SMALL_OUTPUTS(ConvPath.SMALL_OUTPUTS, (g, pairs) -> ImplicitGemmConv2d.applies(g), ImplicitGemmConv2d::forward),
    /** "Same" 3x3 layers at 16x16 and wider (ResNet's first stage, pruned widths): {@link PaddedPlaneConv2d}. */
    PADDED_PLANES(ConvPath.PADDED_PLANES, PaddedPlaneConv2d::applies, PaddedPlaneConv2d::forward),
    /** 3x3 stride-2 pad-1 layers (downsampling) onto 16x16 and wider: {@link PhasePlaneConv2d}. */
    PHASE_PLANES(ConvPath.PHASE_PLANES, PhasePlaneConv2d::applies, PhasePlaneConv2d::forward);

    /** A path's rule: should it take a sum of {@code pairs} convolutions of geometry {@code g}? */
    @FunctionalInterface
    interface Rule {
        boolean applies(ConvGeometry g, int pairs);
    }

    /**
     * A path's forward: {@code y (+)= Σ_j conv(xs[j], ws[j]) + bias}; with {@code flipped}, the forward of
     * {@link GemmConv2d#transposedAsConvolution} {@code g} with {@code ws} the original convolution's
     * filters (an input gradient, {@code xs} the output gradients, no bias).
     */
    @FunctionalInterface
    interface Forward {
        void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y, boolean accumulate);
    }

    /** The entry in the table of all paths (its switch, its bits, the trace). */
    private final ConvPath path;
    private final Rule rule;
    private final Forward forward;

    ImplicitPath(ConvPath path, Rule rule, Forward forward) {
        this.path = path;
        this.rule = rule;
        this.forward = forward;
    }

    /** True when this path should take a sum of {@code pairs} convolutions of geometry {@code g}. */
    boolean applies(ConvGeometry g, int pairs) {
        return rule.applies(g, pairs);
    }

    /** See {@link Forward}. */
    void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y, boolean accumulate) {
        path.took();
        forward.forward(g, xs, ws, flipped, bias, y, accumulate);
    }

    /** The first path that applies, or null for im2col + GEMM. */
    static ImplicitPath choose(ConvGeometry g, int pairs) {
        for (ImplicitPath p : values()) {
            if (p.applies(g, pairs)) return p;
        }
        return null;
    }
}
