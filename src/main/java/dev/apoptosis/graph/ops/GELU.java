package dev.apoptosis.graph.ops;

import dev.apoptosis.tensor.elementwise.Gelu;

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
    public GELU() {
        super(Gelu.GELU);
    }

    @Override public String kind() { return "GELU"; }
}
