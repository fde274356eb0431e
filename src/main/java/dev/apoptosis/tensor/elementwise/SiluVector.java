package dev.apoptosis.tensor.elementwise;

import static dev.apoptosis.tensor.elementwise.FloatMathVector.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API loops of {@link Silu}, bit-identical lane by lane to its scalar functions. Per block:
 * {@code σ(x)} and {@code σ(-x)} into scratch from one {@code e^(-|x|)} (see {@link FloatMathVector}
 * for why exp runs over arrays), then one combining loop per function.
 */
final class SiluVector {
    private SiluVector() {}

    private static final int BLOCK = 512;

    /**
     * s[i] = σ(x[i]) and sc[i] = σ(-x[i]), both from e = e^(-|x|) without cancellation: for x ≥ 0
     * σ(x) = 1/(1+e) and σ(-x) = e/(1+e), mirrored for x &lt; 0.
     */
    private static void sigmoids(float[] x, int xo, float[] s, float[] sc, int m) {
        int i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).abs().neg().intoArray(s, i);
        }
        for (; i < m; i++) s[i] = -Math.abs(x[xo + i]);
        FloatMathVector.exp(s, 0, s, 0, m);
        i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector ev = FloatVector.fromArray(F, s, i);
            FloatVector r = ev.add(1f);
            r = r.broadcast(1f).div(r);
            FloatVector er = ev.mul(r);
            VectorMask<Float> pos = FloatVector.fromArray(F, x, xo + i).compare(VectorOperators.GE, 0f);
            er.blend(r, pos).intoArray(s, i);
            r.blend(er, pos).intoArray(sc, i);
        }
    }

    static void forward(float[] x, int xo, float[] y, int yo, int n) {
        float[] s = new float[Math.min(BLOCK, n)], sc = new float[s.length];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            sigmoids(x, xo + b, s, sc, m);
            int i = 0;
            for (int end = F.loopBound(m); i < end; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, x, xo + b + i);
                v.mul(FloatVector.fromArray(F, s, i)).intoArray(y, yo + b + i);
            }
            for (; i < m; i++) y[yo + b + i] = Silu.SILU.value(x[xo + b + i]);
        }
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        float[] s = new float[Math.min(BLOCK, n)], sc = new float[s.length];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            sigmoids(x, xo + b, s, sc, m);
            int i = 0;
            for (int end = F.loopBound(m); i < end; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, x, xo + b + i);
                FloatVector d1 = derivative(v, FloatVector.fromArray(F, s, i), FloatVector.fromArray(F, sc, i));
                d1.mul(FloatVector.fromArray(F, g, go + b + i)).intoArray(out, oo + b + i);
            }
            for (; i < m; i++) out[oo + b + i] = Silu.SILU.derivative(x[xo + b + i]) * g[go + b + i];
        }
    }

    /** silu'(x) = σ(x)·(1 + x·σ(-x)). */
    private static FloatVector derivative(FloatVector x, FloatVector s, FloatVector sc) {
        return s.mul(x.fma(sc, FloatVector.broadcast(F, 1f)));
    }

    static void rBackward(float[] x, int xo, float[] g, int go, float[] gd, int gdo, float[] xd, int xdo,
                          float[] out, int oo, int n) {
        float[] s = new float[Math.min(BLOCK, n)], sc = new float[s.length];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            sigmoids(x, xo + b, s, sc, m);
            int i = 0;
            for (int end = F.loopBound(m); i < end; i += F.length()) {
                int k = b + i;
                FloatVector v = FloatVector.fromArray(F, x, xo + k);
                FloatVector sv = FloatVector.fromArray(F, s, i), scv = FloatVector.fromArray(F, sc, i);
                FloatVector d1 = derivative(v, sv, scv);
                // silu''(x) = σ(x)·σ(-x)·(2 + x·(σ(-x) - σ(x)))
                FloatVector d2 = sv.mul(scv).mul(v.fma(scv.sub(sv), FloatVector.broadcast(F, 2f)));
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
