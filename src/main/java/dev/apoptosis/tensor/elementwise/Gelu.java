package dev.apoptosis.tensor.elementwise;

import static dev.apoptosis.tensor.elementwise.FloatMath.ERFC_MAX;
import static dev.apoptosis.tensor.elementwise.FloatMath.ERF_SMALL;

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
 * <p>The array and tensor kernels are {@link ActivationKernels}'s, run with these functions; the
 * vector path, {@link GeluVector}, is bit-identical to them.
 */
public final class Gelu extends ActivationKernels {
    static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    /** Beyond |x| = 14.3, Φ is 0 or 1 in float and e^(-x²/2) underflows: |x| is clamped to it. */
    static final float CLAMP = 14.3f;

    /** The GELU kernels. */
    public static final Gelu GELU = new Gelu();

    private Gelu() {
        super("gelu");
    }

    /** φ(x) = x Φ(x). */
    @Override
    public float value(float x) {
        return x * cdf(x, gauss(x));
    }

    /** φ'(x) = Φ(x) + x ϕ(x). */
    @Override
    public float derivative(float x) {
        float e = gauss(x);
        return Math.fma(x, e * INV_SQRT_2PI, cdf(x, e));
    }

    /** φ''(x) = ϕ(x) (2 - x²). */
    @Override
    public float secondDerivative(float x) {
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

    @Override
    float rBackward(float x, float g, float gDot, float xDot) {
        float e = gauss(x);
        float pdf = e * INV_SQRT_2PI;
        float d1 = Math.fma(x, pdf, cdf(x, e));
        float d2 = pdf * Math.fma(-x, x, 2f);
        return Math.fma(d1, gDot, (d2 * xDot) * g);
    }

    @Override
    Pointwise.Unary vectorForward() {
        return GeluVector::forward;
    }

    @Override
    Pointwise.Binary vectorBackward() {
        return GeluVector::backward;
    }

    @Override
    Pointwise.Quaternary vectorRBackward() {
        return GeluVector::rBackward;
    }
}
