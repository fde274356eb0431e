package dev.apoptosis.tensor;

import static dev.apoptosis.tensor.FloatMath.*;
import static dev.apoptosis.tensor.FloatMathVector.F;
import static dev.apoptosis.tensor.Gelu.CLAMP;
import static dev.apoptosis.tensor.Gelu.INV_SQRT2;
import static dev.apoptosis.tensor.Gelu.INV_SQRT_2PI;

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
            FloatVector q = s.mul(ERF6).add(ERF5).mul(s).add(ERF4).mul(s).add(ERF3).mul(s).add(ERF2).mul(s)
                    .add(ERF1).mul(s).add(ERF0);
            FloatVector central = u.add(u.mul(q)).mul(0.5f).add(0.5f);
            FloatVector t = a.min(ERFC_MAX).add(1f);
            t = t.broadcast(1f).div(t);
            FloatVector cx = t.mul(CX11).add(CX10).mul(t).add(CX9).mul(t).add(CX8).mul(t).add(CX7).mul(t).add(CX6).mul(t).add(CX5).mul(t).add(CX4)
                    .mul(t).add(CX3).mul(t).add(CX2).mul(t).add(CX1).mul(t).add(CX0);
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

    /** out = (Φ + x·ϕ)·g. */
    private static void derivativeTimes(float[] x, int xo, float[] gauss, float[] cdf, float[] g, int go,
                                        float[] out, int oo, int m) {
        int i = 0;
        for (int end = F.loopBound(m); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector pdf = FloatVector.fromArray(F, gauss, i).mul(INV_SQRT_2PI);
            FloatVector d1 = FloatVector.fromArray(F, cdf, i).add(v.mul(pdf));
            d1.mul(FloatVector.fromArray(F, g, go + i)).intoArray(out, oo + i);
        }
        for (; i < m; i++) out[oo + i] = (cdf[i] + x[xo + i] * (gauss[i] * INV_SQRT_2PI)) * g[go + i];
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
            FloatVector d1 = FloatVector.fromArray(F, cdf, i).add(v.mul(pdf));
            FloatVector d2 = pdf.mul(v.mul(v).neg().add(2f));
            FloatVector first = d1.mul(FloatVector.fromArray(F, gd, gdo + i));
            FloatVector second = d2.mul(FloatVector.fromArray(F, xd, xdo + i)).mul(FloatVector.fromArray(F, g, go + i));
            first.add(second).intoArray(out, oo + i);
        }
        for (; i < m; i++) {
            float v = x[xo + i];
            float pdf = gauss[i] * INV_SQRT_2PI;
            float d1 = cdf[i] + v * pdf;
            float d2 = pdf * (2f - v * v);
            out[oo + i] = d1 * gd[gdo + i] + (d2 * xd[xdo + i]) * g[go + i];
        }
    }
}
