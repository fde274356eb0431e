package dev.apoptosis.tensor;

import static dev.apoptosis.tensor.FloatMathVector.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API loops of {@link Silu}, bit-identical lane by lane to its scalar functions. Per block:
 * {@code e = e^(-|x|)} into scratch (see {@link FloatMathVector} for why), then one combining loop.
 */
final class SiluVector {
    private SiluVector() {}

    private static final int BLOCK = 512;

    /** e[i] = e^(-|x[i]|). */
    private static void expNegAbs(float[] x, int xo, float[] e, int m) {
        int i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).abs().neg().intoArray(e, i);
        }
        for (; i < m; i++) e[i] = -Math.abs(x[xo + i]);
        FloatMathVector.exp(e, 0, e, 0, m);
    }

    static void forward(float[] x, int xo, float[] y, int yo, int n) {
        float[] e = new float[Math.min(BLOCK, n)];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            expNegAbs(x, xo + b, e, m);
            int i = 0;
            for (int end = F.loopBound(m); i < end; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, x, xo + b + i);
                FloatVector ev = FloatVector.fromArray(F, e, i);
                FloatVector r = ev.add(1f);
                r = r.broadcast(1f).div(r);
                FloatVector s = ev.mul(r).blend(r, v.compare(VectorOperators.GE, 0f));
                v.mul(s).intoArray(y, yo + b + i);
            }
            for (; i < m; i++) y[yo + b + i] = Silu.SILU.value(x[xo + b + i]);
        }
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        float[] e = new float[Math.min(BLOCK, n)];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            expNegAbs(x, xo + b, e, m);
            int i = 0;
            for (int end = F.loopBound(m); i < end; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, x, xo + b + i);
                FloatVector ev = FloatVector.fromArray(F, e, i);
                FloatVector r = ev.add(1f);
                r = r.broadcast(1f).div(r);
                FloatVector er = ev.mul(r);
                VectorMask<Float> pos = v.compare(VectorOperators.GE, 0f);
                FloatVector s = er.blend(r, pos);
                FloatVector sc = r.blend(er, pos);
                FloatVector d1 = s.mul(v.fma(sc, FloatVector.broadcast(F, 1f)));
                d1.mul(FloatVector.fromArray(F, g, go + b + i)).intoArray(out, oo + b + i);
            }
            for (; i < m; i++) out[oo + b + i] = Silu.SILU.derivative(x[xo + b + i]) * g[go + b + i];
        }
    }

    static void rBackward(float[] x, int xo, float[] g, int go, float[] gd, int gdo, float[] xd, int xdo,
                          float[] out, int oo, int n) {
        float[] e = new float[Math.min(BLOCK, n)];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            expNegAbs(x, xo + b, e, m);
            int i = 0;
            for (int end = F.loopBound(m); i < end; i += F.length()) {
                int k = b + i;
                FloatVector v = FloatVector.fromArray(F, x, xo + k);
                FloatVector ev = FloatVector.fromArray(F, e, i);
                FloatVector r = ev.add(1f);
                r = r.broadcast(1f).div(r);
                FloatVector er = ev.mul(r);
                VectorMask<Float> pos = v.compare(VectorOperators.GE, 0f);
                FloatVector s = er.blend(r, pos);
                FloatVector sc = r.blend(er, pos);
                FloatVector d1 = s.mul(v.fma(sc, FloatVector.broadcast(F, 1f)));
                FloatVector d2 = s.mul(sc).mul(v.fma(sc.sub(s), FloatVector.broadcast(F, 2f)));
                FloatVector second = d2.mul(FloatVector.fromArray(F, xd, xdo + k)).mul(FloatVector.fromArray(F, g, go + k));
                d1.fma(FloatVector.fromArray(F, gd, gdo + k), second).intoArray(out, oo + k);
            }
            for (; i < m; i++) {
                int k = b + i;
                out[oo + k] = Silu.SILU.rBackward(x[xo + k], g[go + k], gd[gdo + k], xd[xdo + k]);
            }
        }
    }
}
