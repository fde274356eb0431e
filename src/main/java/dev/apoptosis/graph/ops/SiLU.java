package dev.apoptosis.graph.ops;

import dev.apoptosis.tensor.Silu;
import dev.apoptosis.tensor.Tensor;

/**
 * Sigmoid linear unit (swish): y = x·σ(x), σ(x) = 1/(1 + e^{−x}).
 * <ul>
 * <li>φ'(x) = σ·(1 + x·(1 − σ))</li>
 * <li>φ''(x) = σ(1 − σ)·(2 + x·(1 − 2σ))</li>
 * </ul>
 * The rules are those of {@link ElementwiseActivation}; the kernels are {@link Silu}'s.
 */
public final class SiLU extends ElementwiseActivation {
    @Override public String kind() { return "SiLU"; }
    @Override protected Tensor value(Tensor x) { return Silu.forward(x); }
    @Override protected Tensor slopeTimes(Tensor x, Tensor v) { return Silu.backward(x, v); }
    @Override protected Tensor withCurvature(Tensor x, Tensor g, Tensor gDot, Tensor xDot) { return Silu.rBackward(x, g, gDot, xDot); }
}
