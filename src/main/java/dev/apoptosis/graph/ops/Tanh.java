package dev.apoptosis.graph.ops;

import dev.apoptosis.tensor.Tensor;

/**
 * Hyperbolic tangent: y = tanh(x).
 * <ul>
 * <li>φ'(x) = 1 − tanh²(x)</li>
 * <li>φ''(x) = −2·tanh(x)·(1 − tanh²(x))</li>
 * </ul>
 * The rules are those of {@link ElementwiseActivation}; the kernels are
 * {@link dev.apoptosis.tensor.Tanh}'s.
 */
public final class Tanh extends ElementwiseActivation {
    @Override public String kind() { return "Tanh"; }
    @Override protected Tensor value(Tensor x) { return dev.apoptosis.tensor.Tanh.forward(x); }
    @Override protected Tensor slopeTimes(Tensor x, Tensor v) { return dev.apoptosis.tensor.Tanh.backward(x, v); }
    @Override protected Tensor withCurvature(Tensor x, Tensor g, Tensor gDot, Tensor xDot) {
        return dev.apoptosis.tensor.Tanh.rBackward(x, g, gDot, xDot);
    }
}
