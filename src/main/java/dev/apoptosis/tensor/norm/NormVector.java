package dev.apoptosis.tensor.norm;

import static dev.apoptosis.tensor.elementwise.FloatMathVector.F;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API loops shared by BatchNorm and LayerNorm, bit-identical to {@link NormScalar}:
 * normalise-and-affine ({@code xhat = (x - m) * s; y = g * xhat + b}) and the projection of the
 * normalisation's Jacobian ({@code out = ((v - k1) - xhat * k2) * a}). "Segment" variants take
 * per-segment scalars (NCHW channels, LayerNorm rows); "row" variants take per-position arrays
 * indexed from 0 (BatchNorm on {@code [N, C]}).
 */
final class NormVector {
    private NormVector() {}

    /** xhat = (x - m) * s (stored unless xhat is null); y = g * xhat + b; scalars m, s, g, b. */
    static void applySegment(float[] x, int xo, float m, float s, float g, float b, float[] xhat, int ho,
                             float[] y, int yo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector h = FloatVector.fromArray(F, x, xo + i).sub(m).mul(s);
            if (xhat != null) h.intoArray(xhat, ho + i);
            h.mul(g).add(b).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float h = (x[xo + i] - m) * s;
            if (xhat != null) xhat[ho + i] = h;
            y[yo + i] = g * h + b;
        }
    }

    /** As {@link #applySegment} with m, s, g, b arrays indexed by position from 0. */
    static void applyRow(float[] x, int xo, float[] m, float[] s, float[] g, float[] b, float[] xhat, int ho,
                         float[] y, int yo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector h = FloatVector.fromArray(F, x, xo + i).sub(FloatVector.fromArray(F, m, i))
                    .mul(FloatVector.fromArray(F, s, i));
            if (xhat != null) h.intoArray(xhat, ho + i);
            h.mul(FloatVector.fromArray(F, g, i)).add(FloatVector.fromArray(F, b, i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float h = (x[xo + i] - m[i]) * s[i];
            if (xhat != null) xhat[ho + i] = h;
            y[yo + i] = g[i] * h + b[i];
        }
    }

    /** As {@link #applySegment} with scalars m, s and arrays g, b indexed by position (LayerNorm rows). */
    static void applyAffineRow(float[] x, int xo, float m, float s, float[] g, float[] b, float[] xhat, int ho,
                               float[] y, int yo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector h = FloatVector.fromArray(F, x, xo + i).sub(m).mul(s);
            if (xhat != null) h.intoArray(xhat, ho + i);
            h.mul(FloatVector.fromArray(F, g, i)).add(FloatVector.fromArray(F, b, i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float h = (x[xo + i] - m) * s;
            if (xhat != null) xhat[ho + i] = h;
            y[yo + i] = g[i] * h + b[i];
        }
    }

    /** out = ((v - k1) - xhat * k2) * a with scalars. */
    static void projectSegment(float[] v, int vo, float[] xhat, int ho, float a, float k1, float k2, float[] out, int oo,
                               int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector h = FloatVector.fromArray(F, xhat, ho + i);
            FloatVector.fromArray(F, v, vo + i).sub(k1).sub(h.mul(k2)).mul(a).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = ((v[vo + i] - k1) - xhat[ho + i] * k2) * a;
    }

    /** As {@link #projectSegment} with a, k1, k2 arrays indexed by position from 0. */
    static void projectRow(float[] v, int vo, float[] xhat, int ho, float[] a, float[] k1, float[] k2, float[] out, int oo,
                           int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector h = FloatVector.fromArray(F, xhat, ho + i);
            FloatVector.fromArray(F, v, vo + i).sub(FloatVector.fromArray(F, k1, i))
                    .sub(h.mul(FloatVector.fromArray(F, k2, i))).mul(FloatVector.fromArray(F, a, i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = ((v[vo + i] - k1[i]) - xhat[ho + i] * k2[i]) * a[i];
    }
}
