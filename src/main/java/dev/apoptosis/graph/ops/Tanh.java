package dev.apoptosis.graph.ops;

/**
 * Hyperbolic tangent: y = tanh(x).
 * <ul>
 * <li>φ'(x) = 1 − tanh²(x)</li>
 * <li>φ''(x) = −2·tanh(x)·(1 − tanh²(x))</li>
 * </ul>
 * The rules are those of {@link ElementwiseActivation}; the kernels are
 * {@link dev.apoptosis.tensor.elementwise.TanhKernels}'s.
 */
public final class Tanh extends ElementwiseActivation {
    public Tanh() {
        super(dev.apoptosis.tensor.elementwise.TanhKernels.TANH);
    }

    @Override public String kind() { return "Tanh"; }
}
