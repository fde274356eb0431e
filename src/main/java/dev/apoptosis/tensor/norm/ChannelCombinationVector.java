package dev.apoptosis.tensor.norm;

import static dev.apoptosis.tensor.elementwise.FloatMathVector.F;

import jdk.incubator.vector.FloatVector;

/** Vector API loops of {@link ChannelCombination}, bit-identical to its scalar twins (one fused multiply-add per term). */
final class ChannelCombinationVector {
    private ChannelCombinationVector() {}

    static void fill(float v, float[] out, int oo, int n) {
        int i = 0;
        FloatVector b = FloatVector.broadcast(F, v);
        for (int end = F.loopBound(n); i < end; i += F.length()) b.intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = v;
    }

    static void fmaSegment(float a, float[] t, int to, float[] out, int oo, int n) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(F, a);
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            av.fma(FloatVector.fromArray(F, t, to + i), FloatVector.fromArray(F, out, oo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = Math.fma(a, t[to + i], out[oo + i]);
    }

    static void row(float[] c0, float[][] a, float[][] t, int[] to, int at, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector v = c0 == null ? FloatVector.zero(F) : FloatVector.fromArray(F, c0, i);
            for (int k = 0; k < t.length; k++) {
                v = FloatVector.fromArray(F, a[k], i).fma(FloatVector.fromArray(F, t[k], to[k] + at + i), v);
            }
            v.intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float v = c0 == null ? 0f : c0[i];
            for (int k = 0; k < t.length; k++) v = Math.fma(a[k][i], t[k][to[k] + at + i], v);
            out[oo + i] = v;
        }
    }

    static void fmaNormalizedSegment(float b, float[] x, int xo, float m, float sc, float[] out, int oo, int n) {
        int i = 0;
        FloatVector bv = FloatVector.broadcast(F, b);
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector h = FloatVector.fromArray(F, x, xo + i).sub(m).mul(sc);
            bv.fma(h, FloatVector.fromArray(F, out, oo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = Math.fma(b, (x[xo + i] - m) * sc, out[oo + i]);
    }

    static void termAndNormalizedSegment(float start, float a, float[] t, int to, float b, float[] x, int xo, float m, float sc,
                                         float[] out, int oo, int n) {
        int i = 0;
        FloatVector sv = FloatVector.broadcast(F, start), av = FloatVector.broadcast(F, a), bv = FloatVector.broadcast(F, b);
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector h = FloatVector.fromArray(F, x, xo + i).sub(m).mul(sc);
            bv.fma(h, av.fma(FloatVector.fromArray(F, t, to + i), sv)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = Math.fma(b, (x[xo + i] - m) * sc, Math.fma(a, t[to + i], start));
    }

    static void fmaNormalizedRow(float[] b, float[] x, int xo, float[] m, float[] sc, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector h = FloatVector.fromArray(F, x, xo + i).sub(FloatVector.fromArray(F, m, i)).mul(FloatVector.fromArray(F, sc, i));
            FloatVector.fromArray(F, b, i).fma(h, FloatVector.fromArray(F, out, oo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = Math.fma(b[i], (x[xo + i] - m[i]) * sc[i], out[oo + i]);
    }
}
