package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * The implicit GEMMs that {@link GemmConv2d} hands a forward convolution (or the forward that
 * computes a stride-1 input gradient) to instead of building im2col's patch matrix, in order of
 * preference: the first whose rule applies takes the call. Both give im2col + GEMM's values bit for
 * bit, so the choice is one of speed only. (Winograd is chosen before, in {@link Conv2dKernels}; the
 * weight gradient's paths in {@link GemmConvWeightGradient}.)
 */
enum ImplicitPath {
    /** Outputs of at most 8x8 over whole panels of images: {@link ImplicitGemmConv2d}, skipping the padded taps. */
    SMALL_OUTPUTS {
        @Override
        boolean applies(ConvGeometry g, int pairs) {
            return ImplicitGemmConv2d.applies(g);
        }

        @Override
        void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y, boolean accumulate) {
            ImplicitGemmConv2d.forward(g, xs, ws, flipped, bias, y, accumulate);
        }
    },
    /** "Same" 3x3 layers at 16x16 and wider (ResNet's first stage, pruned widths): {@link PaddedPlaneConv2d}. */
    PADDED_PLANES {
        @Override
        boolean applies(ConvGeometry g, int pairs) {
            return PaddedPlaneConv2d.applies(g, pairs);
        }

        @Override
        void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y, boolean accumulate) {
            PaddedPlaneConv2d.forward(g, xs, ws, flipped, bias, y, accumulate);
        }
    },
    /** 3x3 stride-2 pad-1 layers (downsampling): {@link PhasePlaneConv2d}; never an input gradient (not a convolution then). */
    PHASE_PLANES {
        @Override
        boolean applies(ConvGeometry g, int pairs) {
            return PhasePlaneConv2d.applies(g, pairs);
        }

        @Override
        void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y, boolean accumulate) {
            if (flipped) throw new IllegalStateException("conv2d: a stride-2 convolution is no input gradient's forward: " + g);
            PhasePlaneConv2d.forward(g, xs, ws, bias, y, accumulate);
        }
    };

    /** True when this path should take a sum of {@code pairs} convolutions of geometry {@code g}. */
    abstract boolean applies(ConvGeometry g, int pairs);

    /**
     * {@code y (+)= Σ_j conv(xs[j], ws[j]) + bias}; with {@code flipped}, the forward of
     * {@link GemmConv2d#transposedAsConvolution} {@code g} with {@code ws} the original convolution's
     * filters (an input gradient, {@code xs} the output gradients, no bias).
     */
    abstract void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y, boolean accumulate);

    /** The first path that applies, or null for im2col + GEMM. */
    static ImplicitPath choose(ConvGeometry g, int pairs) {
        for (ImplicitPath p : values()) {
            if (p.applies(g, pairs)) return p;
        }
        return null;
    }
}
