package dev.apoptosis.graph.ops;

/**
 * Sigmoid linear unit (swish): y = x·σ(x), σ(x) = 1/(1 + e^{−x}).
 * <ul>
 * <li>φ'(x) = σ·(1 + x·(1 − σ))</li>
 * <li>φ''(x) = σ(1 − σ)·(2 + x·(1 − 2σ))</li>
 * </ul>
 * The rules are those of {@link ElementwiseActivation}; values are computed in double.
 */
public final class SiLU extends ElementwiseActivation {
    @Override public String kind() { return "SiLU"; }

    /** σ(x) without overflow for large |x|. */
    static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    @Override
    protected void value(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            y[yo + i] = (float) (v * sigmoid(v));
        }
    }

    @Override
    protected void slope(float[] x, int xo, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xo + i], s = sigmoid(v);
            d[dOff + i] = (float) (s * (1 + v * (1 - s)));
        }
    }

    @Override
    protected void curvature(float[] x, int xo, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xo + i], s = sigmoid(v);
            d[dOff + i] = (float) (s * (1 - s) * (2 + v * (1 - 2 * s)));
        }
    }
}
