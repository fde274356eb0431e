package dev.apoptosis.tensor.norm;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Tensor;

/** Result records shared by {@link BatchNormKernels} and {@link LayerNormKernels}. */
public final class Norms {
    private Norms() {}

    /** Mean, biased variance and 1/√(var + ε) of each normalised group. */
    public record Stats(Tensor mean, Tensor var, Tensor invStd) {}

    /** The normalised input x̂ = (x - mean)·invStd and the output y = γ x̂ + β. */
    public record Output(Tensor xhat, Tensor y) {}

    /** Gradients of the input and, when the layer has them, of γ and β (else null). */
    public record Grads(Tensor gx, Tensor gGamma, Tensor gBeta) {}

    static float[] onesIfNull(float[] a, int n) {
        if (a != null) return a;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        return ones;
    }

    static float[] zerosIfNull(float[] a, int n) {
        return a != null ? a : new float[n];
    }

    static float[] denseOrNull(Tensor t) {
        return t == null ? null : Kernels.dense(t);
    }
}
