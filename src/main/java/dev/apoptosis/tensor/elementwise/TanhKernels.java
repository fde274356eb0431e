package dev.apoptosis.tensor.elementwise;

/**
 * The hyperbolic tangent and its derivatives, {@code tanh' = sech²} and
 * {@code tanh'' = -2 tanh sech²}.
 *
 * <p>Everything comes from {@code e = e^(-2|x|)} ∈ (0, 1]: tanh|x| = (1 - e)/(1 + e) and
 * sech²x = 4e/(1 + e)², so nothing overflows and sech² keeps full relative accuracy in the tails
 * (unlike {@code 1 - tanh²}, which is 0 in float beyond |x| ≈ 9). Below |x| = 0.55, where 1 - e
 * would cancel, tanh uses its Taylor series to x¹⁷ (coefficients: tools/math/float_approximations.py).
 *
 * <p>The array and tensor kernels are {@link ActivationKernels}'s, run with these functions; the
 * vector path, {@link TanhVector}, is bit-identical to them.
 */
public final class TanhKernels extends ActivationKernels {

    static final float SERIES_LIMIT = 0.55f;
    static final float T3 = -3.333333433e-01f;
    static final float T5 = 1.333333403e-01f;
    static final float T7 = -5.396825448e-02f;
    static final float T9 = 2.186948806e-02f;
    static final float T11 = -8.863235824e-03f;
    static final float T13 = 3.592127934e-03f;
    static final float T15 = -1.455834368e-03f;
    static final float T17 = 5.900274264e-04f;

    /** The tanh kernels. */
    public static final TanhKernels TANH = new TanhKernels();

    private TanhKernels() {
        super("tanh");
    }

    /** tanh(x). */
    @Override
    public float value(float x) {
        return fromExp(x, FloatMath.exp(-2f * Math.abs(x)));
    }

    /** tanh'(x) = sech²(x). */
    @Override
    public float derivative(float x) {
        return sech2(FloatMath.exp(-2f * Math.abs(x)));
    }

    /** tanh''(x) = -2 tanh(x) sech²(x). */
    @Override
    public float secondDerivative(float x) {
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

    @Override
    float rBackward(float x, float g, float gDot, float xDot) {
        float e = FloatMath.exp(-2f * Math.abs(x));
        float d1 = sech2(e);
        float d2 = (-2f * fromExp(x, e)) * d1;
        return Math.fma(d1, gDot, (d2 * xDot) * g);
    }

    @Override
    Pointwise.Unary vectorForward() {
        return TanhVector::forward;
    }

    @Override
    Pointwise.Binary vectorBackward() {
        return TanhVector::backward;
    }

    @Override
    Pointwise.Quaternary vectorRBackward() {
        return TanhVector::rBackward;
    }
}
