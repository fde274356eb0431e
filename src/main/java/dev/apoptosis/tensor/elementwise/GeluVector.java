package dev.apoptosis.tensor.elementwise;

import static dev.apoptosis.tensor.elementwise.FloatMath.*;
import static dev.apoptosis.tensor.elementwise.FloatMathVector.F;
import static dev.apoptosis.tensor.elementwise.Gelu.CLAMP;
import static dev.apoptosis.tensor.elementwise.Gelu.INV_SQRT2;
import static dev.apoptosis.tensor.elementwise.Gelu.INV_SQRT_2PI;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API loops of {@link Gelu}, bit-identical lane by lane to its scalar functions. Work goes
 * in blocks through small scratch arrays (see {@link FloatMathVector} for why): e^(-x²/2), then
 * Φ(x), then the kernel's own combination.
 */
final class GeluVector {
    private GeluVector() {}

    private static final int BLOCK = 512;

    /** Scratch for one block: e^(-x²/2) and Φ(x), plus the low part of x². */
    private static final class Scratch {
        final float[] gauss;
        final float[] lo;
        final float[] cdf;

        Scratch(int n) {
            int m = Math.min(BLOCK, n);
            gauss = new float[m];
            lo = new float[m];
            cdf = new float[m];
        }

        /** Fills {@code gauss} and {@code cdf} for x[xo, xo + m). */
        void fill(float[] x, int xo, int m) {
            FloatMathVector.negSquareArgs(x, xo, CLAMP, 0.5f, gauss, lo, m);
            FloatMathVector.exp(gauss, 0, gauss, 0, m);
            cdf(x, xo, gauss, lo, cdf, m);
        }
    }

    /** Finishes e^(-x²/2) in place (times 1 - lo/2) and writes Φ(x). */
    private static void cdf(float[] x, int xo, float[] gauss, float[] lo, float[] cdf, int m) {
        int i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector e = FloatVector.fromArray(F, gauss, i).mul(FloatVector.fromArray(F, lo, i).mul(-0.5f).add(1f));
            e.intoArray(gauss, i);
            FloatVector u = v.mul(INV_SQRT2);
            FloatVector a = u.abs();
            FloatVector s = u.mul(u);
            FloatVector q = s.fma(ERF6, ERF5)
                    .fma(s, FloatVector.broadcast(F, ERF4))
                    .fma(s, FloatVector.broadcast(F, ERF3))
                    .fma(s, FloatVector.broadcast(F, ERF2))
                    .fma(s, FloatVector.broadcast(F, ERF1))
                    .fma(s, FloatVector.broadcast(F, ERF0));
            FloatVector central = u.fma(q, u).mul(0.5f).add(0.5f);
            FloatVector t = a.min(ERFC_MAX).add(1f);
            t = t.broadcast(1f).div(t);
            FloatVector cx = t.fma(CX11, CX10)
                    .fma(t, FloatVector.broadcast(F, CX9))
                    .fma(t, FloatVector.broadcast(F, CX8))
                    .fma(t, FloatVector.broadcast(F, CX7))
                    .fma(t, FloatVector.broadcast(F, CX6))
                    .fma(t, FloatVector.broadcast(F, CX5))
                    .fma(t, FloatVector.broadcast(F, CX4))
                    .fma(t, FloatVector.broadcast(F, CX3))
                    .fma(t, FloatVector.broadcast(F, CX2))
                    .fma(t, FloatVector.broadcast(F, CX1))
                    .fma(t, FloatVector.broadcast(F, CX0));
            FloatVector tail = e.mul(0.5f).mul(cx);
            FloatVector tails = tail.blend(tail.neg().add(1f), u.compare(VectorOperators.GT, 0f));
            tails.blend(central, a.compare(VectorOperators.LT, ERF_SMALL)).intoArray(cdf, i);
        }
        for (; i < m; i++) {
            float e = gauss[i] * (1f - 0.5f * lo[i]);
            gauss[i] = e;
            cdf[i] = Gelu.cdf(x[xo + i], e);
        }
    }

    static void forward(float[] x, int xo, float[] y, int yo, int n) {
        Scratch s = new Scratch(n);
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            s.fill(x, xo + b, m);
            ElementwiseVector.mul(x, xo + b, s.cdf, 0, y, yo + b, m);
        }
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        Scratch s = new Scratch(n);
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            s.fill(x, xo + b, m);
            derivativeTimes(x, xo + b, s.gauss, s.cdf, g, go + b, out, oo + b, m);
        }
    }

    /** out = (Φ + x·ϕ)·g with Φ + x·ϕ fused. */
    private static void derivativeTimes(float[] x, int xo, float[] gauss, float[] cdf, float[] g, int go,
                                        float[] out, int oo, int m) {
        int i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector pdf = FloatVector.fromArray(F, gauss, i).mul(INV_SQRT_2PI);
            FloatVector d1 = v.fma(pdf, FloatVector.fromArray(F, cdf, i));
            d1.mul(FloatVector.fromArray(F, g, go + i)).intoArray(out, oo + i);
        }
        for (; i < m; i++) out[oo + i] = Math.fma(x[xo + i], gauss[i] * INV_SQRT_2PI, cdf[i]) * g[go + i];
    }

    static void rBackward(float[] x, int xo, float[] g, int go, float[] gd, int gdo, float[] xd, int xdo,
                          float[] out, int oo, int n) {
        Scratch s = new Scratch(n);
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            s.fill(x, xo + b, m);
            secondOrder(x, xo + b, s.gauss, s.cdf, g, go + b, gd, gdo + b, xd, xdo + b, out, oo + b, m);
        }
    }

    /** out = φ'·ġ + (φ''·ẋ)·g with φ' = Φ + x·ϕ and φ'' = ϕ·(2 - x²). */
    private static void secondOrder(float[] x, int xo, float[] gauss, float[] cdf, float[] g, int go, float[] gd,
                                    int gdo, float[] xd, int xdo, float[] out, int oo, int m) {
        int i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector pdf = FloatVector.fromArray(F, gauss, i).mul(INV_SQRT_2PI);
            FloatVector d1 = v.fma(pdf, FloatVector.fromArray(F, cdf, i));
            FloatVector d2 = pdf.mul(v.neg().fma(v, FloatVector.broadcast(F, 2f)));
            FloatVector second = d2.mul(FloatVector.fromArray(F, xd, xdo + i)).mul(FloatVector.fromArray(F, g, go + i));
            d1.fma(FloatVector.fromArray(F, gd, gdo + i), second).intoArray(out, oo + i);
        }
        for (; i < m; i++) {
            float v = x[xo + i];
            float pdf = gauss[i] * INV_SQRT_2PI;
            float d1 = Math.fma(v, pdf, cdf[i]);
            float d2 = pdf * Math.fma(-v, v, 2f);
            out[oo + i] = Math.fma(d1, gd[gdo + i], (d2 * xd[xdo + i]) * g[go + i]);
        }
    }
}
