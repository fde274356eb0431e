package dev.apoptosis.graph.ops;

import dev.apoptosis.tensor.elementwise.Silu;

/**
 * Sigmoid linear unit (swish): y = x·σ(x), σ(x) = 1/(1 + e^{−x}).
 * <ul>
 * <li>φ'(x) = σ·(1 + x·(1 − σ))</li>
 * <li>φ''(x) = σ(1 − σ)·(2 + x·(1 − 2σ))</li>
 * </ul>
 * The rules are those of {@link ElementwiseActivation}; the kernels are {@link Silu}'s.
 */
public final class SiLU extends ElementwiseActivation {
    public SiLU() {
        super(Silu.SILU);
    }

    @Override public String kind() { return "SiLU"; }
}
