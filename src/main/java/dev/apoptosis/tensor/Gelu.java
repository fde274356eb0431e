package dev.apoptosis.tensor;

import static dev.apoptosis.tensor.FloatMath.ERFC_MAX;
import static dev.apoptosis.tensor.FloatMath.ERF_SMALL;

/**
 * GELU in its exact form, {@code φ(x) = x Φ(x)} with Φ the standard normal CDF (PyTorch's
 * {@code approximate='none'}), with its first and second derivatives:
 * <pre>
 *   φ'(x)  = Φ(x) + x ϕ(x)        ϕ(x) = e^(-x²/2) / √(2π)
 *   φ''(x) = ϕ(x) (2 - x²)
 * </pre>
 * Φ is evaluated without cancellation on both sides: {@code ½ + ½ erf(x/√2)} near 0, and
 * {@code ½ e^(-x²/2) erfcx(|x|/√2)} (or one minus it) in the tails, so Φ and GELU keep their
 * relative accuracy for large negative x (see {@link FloatMath}). e^(-x²/2) is computed once and
 * shared by Φ and ϕ.
 *
 * <p>Kernels (the autodiff rules of the op use them directly):
 * <ul>
 *   <li>{@code forward}: y = φ(x);</li>
 *   <li>{@code backward}: φ'(x)·v, the VJP with v = g, and equally the tangent (JVP) with v = ẋ
 *       and the linear part of rBackward with v = ġ;</li>
 *   <li>{@code rBackward}: φ'(x)·ġ + φ''(x)·ẋ·g, the R-adjoint including the nonlinear term.</li>
 * </ul>
 * Vector and scalar paths are bit-identical (see {@link FloatMath}); inputs and outputs may be the
 * same window (in place) but must not partially overlap.
 */
public final class Gelu {
    private Gelu() {}

    static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    /** Beyond |x| = 14.3, Φ is 0 or 1 in float and e^(-x²/2) underflows: |x| is clamped to it. */
    static final float CLAMP = 14.3f;

    /** φ(x) = x Φ(x). */
    public static float value(float x) {
        return x * cdf(x, gauss(x));
    }

    /** φ'(x). */
    public static float derivative(float x) {
        float e = gauss(x);
        return Math.fma(x, e * INV_SQRT_2PI, cdf(x, e));
    }

    /** φ''(x). */
    public static float secondDerivative(float x) {
        return (gauss(x) * INV_SQRT_2PI) * Math.fma(-x, x, 2f);
    }

    /** e^(-x²/2). */
    static float gauss(float x) {
        return FloatMath.expNegHalfSquare(Math.min(Math.abs(x), CLAMP));
    }

    /** Φ(x), given {@code gauss = e^(-x²/2)}. */
    static float cdf(float x, float gauss) {
        float u = x * INV_SQRT2;
        float a = Math.abs(u);
        if (a < ERF_SMALL) return 0.5f + 0.5f * FloatMath.erfSmall(u);
        float tail = 0.5f * gauss * FloatMath.erfcx(Math.min(a, ERFC_MAX));
        return u > 0 ? 1f - tail : tail;
    }

    /** φ'(x)·g + φ''(x)·ẋ·g evaluated as in the kernels. */
    static float rBackward(float x, float g, float gDot, float xDot) {
        float e = gauss(x);
        float pdf = e * INV_SQRT_2PI;
        float d1 = Math.fma(x, pdf, cdf(x, e));
        float d2 = pdf * Math.fma(-x, x, 2f);
        return Math.fma(d1, gDot, (d2 * xDot) * g);
    }

    /** y[i] = φ(x[i]). */
    public static void forward(float[] x, int xOff, float[] y, int yOff, int n) {
        Pointwise.unary("gelu", x, xOff, y, yOff, n, Kernels.GRAIN_COSTLY,
                Simd.enabled() ? GeluVector::forward : Gelu::forwardLoop);
    }

    /** out[i] = φ'(x[i]) · v[i]: the backward (v = g) and the tangent (v = ẋ). */
    public static void backward(float[] x, int xOff, float[] v, int vOff, float[] out, int outOff, int n) {
        Pointwise.binary("gelu.backward", x, xOff, v, vOff, out, outOff, n, Kernels.GRAIN_COSTLY,
                Simd.enabled() ? GeluVector::backward : Gelu::backwardLoop);
    }

    /** out[i] = φ'(x)·ġ + φ''(x)·ẋ·g at index i. */
    public static void rBackward(float[] x, int xOff, float[] g, int gOff, float[] gDot, int gDotOff,
                                 float[] xDot, int xDotOff, float[] out, int outOff, int n) {
        Pointwise.quaternary("gelu.rBackward", x, xOff, g, gOff, gDot, gDotOff, xDot, xDotOff, out, outOff, n,
                Kernels.GRAIN_COSTLY, Simd.enabled() ? GeluVector::rBackward : Gelu::rBackwardLoop);
    }

    /** φ(x) as a new tensor. */
    public static Tensor forward(Tensor x) {
        return Pointwise.unary(x, "gelu", Kernels.GRAIN_COSTLY, Simd.enabled() ? GeluVector::forward : Gelu::forwardLoop);
    }

    /** φ'(x) ⊙ v as a new tensor; v is g (backward) or ẋ (tangent). */
    public static Tensor backward(Tensor x, Tensor v) {
        return Pointwise.binary(x, v, "gelu.backward", Kernels.GRAIN_COSTLY,
                Simd.enabled() ? GeluVector::backward : Gelu::backwardLoop);
    }

    /** φ'(x) ⊙ ġ + φ''(x) ⊙ ẋ ⊙ g as a new tensor. */
    public static Tensor rBackward(Tensor x, Tensor g, Tensor gDot, Tensor xDot) {
        return Pointwise.quaternary(x, g, gDot, xDot, "gelu.rBackward", Kernels.GRAIN_COSTLY,
                Simd.enabled() ? GeluVector::rBackward : Gelu::rBackwardLoop);
    }

    private static void forwardLoop(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = value(x[xo + i]);
    }

    private static void backwardLoop(float[] x, int xo, float[] v, int vo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = derivative(x[xo + i]) * v[vo + i];
    }

    private static void rBackwardLoop(float[] x, int xo, float[] g, int go, float[] gd, int gdo, float[] xd, int xdo,
                                      float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = rBackward(x[xo + i], g[go + i], gd[gdo + i], xd[xdo + i]);
    }
}
