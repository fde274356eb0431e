package dev.apoptosis.tensor.elementwise;

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
 * <p>The array and tensor kernels are {@link ActivationKernels}'s, run with these functions; the
 * vector path, {@link SiluVector}, is bit-identical to them.
 */
public final class Silu extends ActivationKernels {
    /** The SiLU kernels. */
    public static final Silu SILU = new Silu();

    private Silu() {
        super("silu");
    }

    /** φ(x) = x σ(x). */
    @Override
    public float value(float x) {
        float e = FloatMath.exp(-Math.abs(x));
        float r = 1f / (1f + e);
        float s = x >= 0 ? r : e * r;
        return x * s;
    }

    /** φ'(x). */
    @Override
    public float derivative(float x) {
        float e = FloatMath.exp(-Math.abs(x));
        float r = 1f / (1f + e);
        float er = e * r;
        float s = x >= 0 ? r : er;
        float sc = x >= 0 ? er : r;
        return s * Math.fma(x, sc, 1f);
    }

    /** φ''(x). */
    @Override
    public float secondDerivative(float x) {
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

    @Override
    float rBackward(float x, float g, float gDot, float xDot) {
        float e = FloatMath.exp(-Math.abs(x));
        float r = 1f / (1f + e);
        float er = e * r;
        float s = x >= 0 ? r : er;
        float sc = x >= 0 ? er : r;
        float d1 = s * Math.fma(x, sc, 1f);
        float d2 = (s * sc) * Math.fma(x, sc - s, 2f);
        return Math.fma(d1, gDot, (d2 * xDot) * g);
    }

    @Override
    Pointwise.Unary vectorForward() {
        return SiluVector::forward;
    }

    @Override
    Pointwise.Binary vectorBackward() {
        return SiluVector::backward;
    }

    @Override
    Pointwise.Quaternary vectorRBackward() {
        return SiluVector::rBackward;
    }
}
