package dev.apoptosis.tensor.elementwise;

import static dev.apoptosis.tensor.elementwise.FloatMathVector.F;
import static dev.apoptosis.tensor.elementwise.TanhKernels.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API loops of {@link TanhKernels}, bit-identical lane by lane to its scalar functions. Per block:
 * {@code e = e^(-2|x|)} into scratch, tanh into a second scratch array when the kernel needs it,
 * then the kernel's combination (see {@link FloatMathVector} for why it is split this way).
 */
final class TanhVector {
    private TanhVector() {}

    private static final int BLOCK = 512;

    /** e[i] = e^(-2|x[i]|). */
    private static void expArg(float[] x, int xo, float[] e, int m) {
        int i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).abs().mul(-2f).intoArray(e, i);
        }
        for (; i < m; i++) e[i] = -2f * Math.abs(x[xo + i]);
        FloatMathVector.exp(e, 0, e, 0, m);
    }

    /** t[i] = tanh(x[i]) given e. */
    private static void tanh(float[] x, int xo, float[] e, float[] t, int to, int m) {
        int i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector ev = FloatVector.fromArray(F, e, i);
            FloatVector a = v.abs();
            FloatVector s = a.mul(a);
            FloatVector p = s.fma(T17, T15)
                    .fma(s, FloatVector.broadcast(F, T13))
                    .fma(s, FloatVector.broadcast(F, T11))
                    .fma(s, FloatVector.broadcast(F, T9))
                    .fma(s, FloatVector.broadcast(F, T7))
                    .fma(s, FloatVector.broadcast(F, T5))
                    .fma(s, FloatVector.broadcast(F, T3));
            FloatVector series = a.fma(s.mul(p), a);
            FloatVector ratio = ev.neg().add(1f).div(ev.add(1f));
            FloatVector t0 = ratio.blend(series, a.compare(VectorOperators.LT, SERIES_LIMIT));
            t0.reinterpretAsInts().or(v.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats().intoArray(t, to + i);
        }
        for (; i < m; i++) t[to + i] = TanhKernels.fromExp(x[xo + i], e[i]);
    }

    static void forward(float[] x, int xo, float[] y, int yo, int n) {
        float[] e = new float[Math.min(BLOCK, n)];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            expArg(x, xo + b, e, m);
            tanh(x, xo + b, e, y, yo + b, m);
        }
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        float[] e = new float[Math.min(BLOCK, n)];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            expArg(x, xo + b, e, m);
            int i = 0;
            for (int end = F.loopBound(m); i < end; i += F.length()) {
                FloatVector ev = FloatVector.fromArray(F, e, i);
                FloatVector d = ev.add(1f);
                FloatVector sech2 = ev.mul(4f).div(d.mul(d));
                sech2.mul(FloatVector.fromArray(F, g, go + b + i)).intoArray(out, oo + b + i);
            }
            for (; i < m; i++) out[oo + b + i] = TanhKernels.sech2(e[i]) * g[go + b + i];
        }
    }

    static void rBackward(float[] x, int xo, float[] g, int go, float[] gd, int gdo, float[] xd, int xdo,
                          float[] out, int oo, int n) {
        int cap = Math.min(BLOCK, n);
        float[] e = new float[cap];
        float[] t = new float[cap];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            expArg(x, xo + b, e, m);
            tanh(x, xo + b, e, t, 0, m);
            int i = 0;
            for (int end = F.loopBound(m); i < end; i += F.length()) {
                int k = b + i;
                FloatVector ev = FloatVector.fromArray(F, e, i);
                FloatVector d = ev.add(1f);
                FloatVector d1 = ev.mul(4f).div(d.mul(d));
                FloatVector d2 = FloatVector.fromArray(F, t, i).mul(-2f).mul(d1);
                FloatVector second = d2.mul(FloatVector.fromArray(F, xd, xdo + k)).mul(FloatVector.fromArray(F, g, go + k));
                d1.fma(FloatVector.fromArray(F, gd, gdo + k), second).intoArray(out, oo + k);
            }
            for (; i < m; i++) {
                int k = b + i;
                float d1 = TanhKernels.sech2(e[i]);
                float d2 = (-2f * t[i]) * d1;
                out[oo + k] = Math.fma(d1, gd[gdo + k], (d2 * xd[xdo + k]) * g[go + k]);
            }
        }
    }
}
