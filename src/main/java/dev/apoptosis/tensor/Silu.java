package dev.apoptosis.tensor;

/**
 * SiLU (swish), {@code φ(x) = x σ(x)} with σ the logistic sigmoid, and its derivatives:
 * <pre>
 *   φ'(x)  = σ (1 + x (1 - σ))
 *   φ''(x) = σ (1 - σ) (2 + x (1 - 2σ))
 * </pre>
 * σ and 1 - σ both come from {@code e = e^(-|x|)}: for x ≥ 0, σ = 1/(1+e) and 1 - σ = e/(1+e),
 * mirrored for x &lt; 0. Neither is ever formed as a difference, so both keep full relative
 * accuracy in the tails and nothing overflows.
 *
 * <p>Kernels as in {@link Gelu}: {@code forward}; {@code backward} = φ'(x)·v (VJP with v = g,
 * tangent with v = ẋ); {@code rBackward} = φ'(x)·ġ + φ''(x)·ẋ·g. Vector and scalar paths are
 * bit-identical.
 */
public final class Silu {
    private Silu() {}

    /** φ(x) = x σ(x). */
    public static float value(float x) {
        float e = FloatMath.exp(-Math.abs(x));
        float r = 1f / (1f + e);
        float s = x >= 0 ? r : e * r;
        return x * s;
    }

    /** φ'(x). */
    public static float derivative(float x) {
        float e = FloatMath.exp(-Math.abs(x));
        float r = 1f / (1f + e);
        float er = e * r;
        float s = x >= 0 ? r : er;
        float sc = x >= 0 ? er : r;
        return s * Math.fma(x, sc, 1f);
    }

    /** φ''(x). */
    public static float secondDerivative(float x) {
        float e = FloatMath.exp(-Math.abs(x));
        float r = 1f / (1f + e);
        float er = e * r;
        float s = x >= 0 ? r : er;
        float sc = x >= 0 ? er : r;
        return (s * sc) * Math.fma(x, sc - s, 2f);
    }

    /** The logistic sigmoid σ(x). */
    public static float sigmoid(float x) {
        float e = FloatMath.exp(-Math.abs(x));
        float r = 1f / (1f + e);
        return x >= 0 ? r : e * r;
    }

    /** y[i] = φ(x[i]). */
    public static void forward(float[] x, int xOff, float[] y, int yOff, int n) {
        Pointwise.unary("silu", x, xOff, y, yOff, n, Kernels.GRAIN_COSTLY,
                Simd.enabled() ? SiluVector::forward : Silu::forwardLoop);
    }

    /** out[i] = φ'(x[i]) · v[i]: the backward (v = g) and the tangent (v = ẋ). */
    public static void backward(float[] x, int xOff, float[] v, int vOff, float[] out, int outOff, int n) {
        Pointwise.binary("silu.backward", x, xOff, v, vOff, out, outOff, n, Kernels.GRAIN_COSTLY,
                Simd.enabled() ? SiluVector::backward : Silu::backwardLoop);
    }

    /** out[i] = φ'(x)·ġ + φ''(x)·ẋ·g at index i. */
    public static void rBackward(float[] x, int xOff, float[] g, int gOff, float[] gDot, int gDotOff,
                                 float[] xDot, int xDotOff, float[] out, int outOff, int n) {
        Pointwise.quaternary("silu.rBackward", x, xOff, g, gOff, gDot, gDotOff, xDot, xDotOff, out, outOff, n,
                Kernels.GRAIN_COSTLY, Simd.enabled() ? SiluVector::rBackward : Silu::rBackwardLoop);
    }

    public static Tensor forward(Tensor x) {
        return Pointwise.unary(x, "silu", Kernels.GRAIN_COSTLY, Simd.enabled() ? SiluVector::forward : Silu::forwardLoop);
    }

    public static Tensor backward(Tensor x, Tensor v) {
        return Pointwise.binary(x, v, "silu.backward", Kernels.GRAIN_COSTLY,
                Simd.enabled() ? SiluVector::backward : Silu::backwardLoop);
    }

    public static Tensor rBackward(Tensor x, Tensor g, Tensor gDot, Tensor xDot) {
        return Pointwise.quaternary(x, g, gDot, xDot, "silu.rBackward", Kernels.GRAIN_COSTLY,
                Simd.enabled() ? SiluVector::rBackward : Silu::rBackwardLoop);
    }

    static float rBackward(float x, float g, float gDot, float xDot) {
        float e = FloatMath.exp(-Math.abs(x));
        float r = 1f / (1f + e);
        float er = e * r;
        float s = x >= 0 ? r : er;
        float sc = x >= 0 ? er : r;
        float d1 = s * Math.fma(x, sc, 1f);
        float d2 = (s * sc) * Math.fma(x, sc - s, 2f);
        return Math.fma(d1, gDot, (d2 * xDot) * g);
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
