package dev.apoptosis.tensor;

/**
 * The hyperbolic tangent and its derivatives, {@code tanh' = sech²} and
 * {@code tanh'' = -2 tanh sech²}.
 *
 * <p>Everything comes from {@code e = e^(-2|x|)} ∈ (0, 1]: tanh|x| = (1 - e)/(1 + e) and
 * sech²x = 4e/(1 + e)², so nothing overflows and sech² keeps full relative accuracy in the tails
 * (unlike {@code 1 - tanh²}, which is 0 in float beyond |x| ≈ 9). Below |x| = 0.55, where 1 - e
 * would cancel, tanh uses its Taylor series to x¹⁷ (coefficients: tools/math/float_approximations.py).
 *
 * <p>Kernels as in {@link Gelu}: {@code forward}; {@code backward} = tanh'(x)·v (VJP with v = g,
 * tangent with v = ẋ); {@code rBackward} = tanh'(x)·ġ + tanh''(x)·ẋ·g. Vector and scalar paths are
 * bit-identical.
 */
public final class Tanh {
    private Tanh() {}

    static final float SERIES_LIMIT = 0.55f;
    static final float T3 = -3.333333433e-01f;
    static final float T5 = 1.333333403e-01f;
    static final float T7 = -5.396825448e-02f;
    static final float T9 = 2.186948806e-02f;
    static final float T11 = -8.863235824e-03f;
    static final float T13 = 3.592127934e-03f;
    static final float T15 = -1.455834368e-03f;
    static final float T17 = 5.900274264e-04f;

    /** tanh(x). */
    public static float value(float x) {
        return fromExp(x, FloatMath.exp(-2f * Math.abs(x)));
    }

    /** tanh'(x) = sech²(x). */
    public static float derivative(float x) {
        return sech2(FloatMath.exp(-2f * Math.abs(x)));
    }

    /** tanh''(x) = -2 tanh(x) sech²(x). */
    public static float secondDerivative(float x) {
        float e = FloatMath.exp(-2f * Math.abs(x));
        return (-2f * fromExp(x, e)) * sech2(e);
    }

    /** tanh(x) given e = e^(-2|x|). */
    static float fromExp(float x, float e) {
        float a = Math.abs(x);
        float t;
        if (a < SERIES_LIMIT) {
            float s = a * a;
            float p = Math.fma(T17, s, T15);
            p = Math.fma(p, s, T13);
            p = Math.fma(p, s, T11);
            p = Math.fma(p, s, T9);
            p = Math.fma(p, s, T7);
            p = Math.fma(p, s, T5);
            p = Math.fma(p, s, T3);
            t = Math.fma(a, s * p, a);
        } else {
            t = (1f - e) / (1f + e);
        }
        return FloatMath.withSignOf(t, x);
    }

    /** sech² given e = e^(-2|x|). */
    static float sech2(float e) {
        float d = 1f + e;
        return (4f * e) / (d * d);
    }

    static float rBackward(float x, float g, float gDot, float xDot) {
        float e = FloatMath.exp(-2f * Math.abs(x));
        float d1 = sech2(e);
        float d2 = (-2f * fromExp(x, e)) * d1;
        return Math.fma(d1, gDot, (d2 * xDot) * g);
    }

    /** y[i] = tanh(x[i]). */
    public static void forward(float[] x, int xOff, float[] y, int yOff, int n) {
        Pointwise.unary("tanh", x, xOff, y, yOff, n, Kernels.GRAIN_COSTLY,
                Simd.enabled() ? TanhVector::forward : Tanh::forwardLoop);
    }

    /** out[i] = tanh'(x[i]) · v[i]: the backward (v = g) and the tangent (v = ẋ). */
    public static void backward(float[] x, int xOff, float[] v, int vOff, float[] out, int outOff, int n) {
        Pointwise.binary("tanh.backward", x, xOff, v, vOff, out, outOff, n, Kernels.GRAIN_COSTLY,
                Simd.enabled() ? TanhVector::backward : Tanh::backwardLoop);
    }

    /** out[i] = tanh'(x)·ġ + tanh''(x)·ẋ·g at index i. */
    public static void rBackward(float[] x, int xOff, float[] g, int gOff, float[] gDot, int gDotOff,
                                 float[] xDot, int xDotOff, float[] out, int outOff, int n) {
        Pointwise.quaternary("tanh.rBackward", x, xOff, g, gOff, gDot, gDotOff, xDot, xDotOff, out, outOff, n,
                Kernels.GRAIN_COSTLY, Simd.enabled() ? TanhVector::rBackward : Tanh::rBackwardLoop);
    }

    public static Tensor forward(Tensor x) {
        return Pointwise.unary(x, "tanh", Kernels.GRAIN_COSTLY, Simd.enabled() ? TanhVector::forward : Tanh::forwardLoop);
    }

    public static Tensor backward(Tensor x, Tensor v) {
        return Pointwise.binary(x, v, "tanh.backward", Kernels.GRAIN_COSTLY,
                Simd.enabled() ? TanhVector::backward : Tanh::backwardLoop);
    }

    public static Tensor rBackward(Tensor x, Tensor g, Tensor gDot, Tensor xDot) {
        return Pointwise.quaternary(x, g, gDot, xDot, "tanh.rBackward", Kernels.GRAIN_COSTLY,
                Simd.enabled() ? TanhVector::rBackward : Tanh::rBackwardLoop);
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
