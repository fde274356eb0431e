package dev.apoptosis.graph.ops;

import dev.apoptosis.tensor.Gelu;
import dev.apoptosis.tensor.Tensor;

/**
 * Gaussian error linear unit, exact (erf) form as in ViT and PyTorch's default:
 * y = x·Φ(x), Φ the standard normal distribution function, ϕ its density.
 * <ul>
 * <li>φ'(x) = Φ(x) + x·ϕ(x)</li>
 * <li>φ''(x) = 2ϕ(x) + x·ϕ'(x) = ϕ(x)·(2 − x²)</li>
 * </ul>
 * The rules are those of {@link ElementwiseActivation}: g_x = φ'(x) g_y, ẏ = φ'(x) ẋ and
 * ġ_x = φ'(x) ġ_y [+ φ''(x) ẋ g_y when the curvature mode includes nonlinear terms]; the kernels
 * are {@link Gelu}'s.
 */
public final class GELU extends ElementwiseActivation {
    @Override public String kind() { return "GELU"; }
    @Override protected Tensor value(Tensor x) { return Gelu.forward(x); }
    @Override protected Tensor slopeTimes(Tensor x, Tensor v) { return Gelu.backward(x, v); }
    @Override protected Tensor withCurvature(Tensor x, Tensor g, Tensor gDot, Tensor xDot) { return Gelu.rBackward(x, g, gDot, xDot); }
}
