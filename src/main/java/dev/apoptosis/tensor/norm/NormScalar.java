package dev.apoptosis.tensor.norm;

/** Scalar twins of {@link NormVector}; see there for the formulas. */
final class NormScalar {
    private NormScalar() {}

    static void applySegment(float[] x, int xo, float m, float s, float g, float b, float[] xhat, int ho,
                             float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            float h = (x[xo + i] - m) * s;
            if (xhat != null) xhat[ho + i] = h;
            y[yo + i] = g * h + b;
        }
    }

    static void applyRow(float[] x, int xo, float[] m, float[] s, float[] g, float[] b, float[] xhat, int ho,
                         float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            float h = (x[xo + i] - m[i]) * s[i];
            if (xhat != null) xhat[ho + i] = h;
            y[yo + i] = g[i] * h + b[i];
        }
    }

    static void applyAffineRow(float[] x, int xo, float m, float s, float[] g, float[] b, float[] xhat, int ho,
                               float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            float h = (x[xo + i] - m) * s;
            if (xhat != null) xhat[ho + i] = h;
            y[yo + i] = g[i] * h + b[i];
        }
    }

    static void projectSegment(float[] v, int vo, float[] xhat, int ho, float a, float k1, float k2, float[] out, int oo,
                               int n) {
        for (int i = 0; i < n; i++) out[oo + i] = ((v[vo + i] - k1) - xhat[ho + i] * k2) * a;
    }

    static void projectRow(float[] v, int vo, float[] xhat, int ho, float[] a, float[] k1, float[] k2, float[] out, int oo,
                           int n) {
        for (int i = 0; i < n; i++) out[oo + i] = ((v[vo + i] - k1[i]) - xhat[ho + i] * k2[i]) * a[i];
    }
}
