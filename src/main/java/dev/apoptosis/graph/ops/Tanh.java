package dev.apoptosis.graph.ops;

/**
 * Hyperbolic tangent: y = tanh(x).
 * <ul>
 * <li>φ'(x) = 1 − tanh²(x)</li>
 * <li>φ''(x) = −2·tanh(x)·(1 − tanh²(x))</li>
 * </ul>
 * The rules are those of {@link ElementwiseActivation}; values are computed in double.
 */
public final class Tanh extends ElementwiseActivation {
    @Override public String kind() { return "Tanh"; }

    @Override
    protected void value(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = (float) Math.tanh(x[xo + i]);
    }

    @Override
    protected void slope(float[] x, int xo, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            double t = Math.tanh(x[xo + i]);
            d[dOff + i] = (float) (1 - t * t);
        }
    }

    @Override
    protected void curvature(float[] x, int xo, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            double t = Math.tanh(x[xo + i]);
            d[dOff + i] = (float) (-2 * t * (1 - t * t));
        }
    }
}
