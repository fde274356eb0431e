package dev.apoptosis.graph.ops;

/**
 * Gaussian error linear unit, exact (erf) form as in ViT and PyTorch's default:
 * y = x·Φ(x), Φ the standard normal distribution function, ϕ its density.
 * <ul>
 * <li>φ'(x) = Φ(x) + x·ϕ(x)</li>
 * <li>φ''(x) = 2ϕ(x) + x·ϕ'(x) = ϕ(x)·(2 − x²)</li>
 * </ul>
 * The rules are those of {@link ElementwiseActivation}: g_x = φ'(x) g_y, ẏ = φ'(x) ẋ and
 * ġ_x = φ'(x) ġ_y [+ φ''(x) ẋ g_y when the curvature mode includes nonlinear terms].
 * Values are computed in double and rounded once to float.
 */
public final class GELU extends ElementwiseActivation {
    @Override public String kind() { return "GELU"; }

    @Override
    protected void value(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            y[yo + i] = (float) (v * StandardNormal.cdf(v));
        }
    }

    @Override
    protected void slope(float[] x, int xo, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            d[dOff + i] = (float) (StandardNormal.cdf(v) + v * StandardNormal.pdf(v));
        }
    }

    @Override
    protected void curvature(float[] x, int xo, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            d[dOff + i] = (float) (StandardNormal.pdf(v) * (2 - v * v));
        }
    }
}
