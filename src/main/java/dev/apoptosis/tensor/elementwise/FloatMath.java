package dev.apoptosis.tensor.elementwise;

/**
 * Float32 elementary functions with a fixed, reproducible evaluation: {@code exp}, {@code erf},
 * {@code erfc}, and the pieces the GELU, SiLU and tanh kernels share.
 *
 * <p><b>Why our own.</b> Java has no {@code erf}, and the activation kernels need {@code exp}
 * inside Vector API loops. Every function here is a fixed sequence of float additions,
 * multiplications, fused multiply-adds ({@link Math#fma}), divisions and bit manipulations (no
 * library call), and {@link FloatMathVector} repeats the same sequence lane by lane. IEEE 754
 * rounds each of those operations identically in a lane and in a scalar, so the scalar and vector
 * paths give <em>bit-identical</em> results, and so does any split of the work between threads.
 * FMA halves the cost of every polynomial and makes exact squares one instruction; it needs the
 * CPU's FMA unit (x86 since 2013, every ARM64), without which Java emulates it very slowly.
 *
 * <p><b>Methods.</b>
 * <ul>
 *   <li>{@code exp}: Cody–Waite reduction {@code x = k ln2 + r}, |r| ≤ ln2/2, with ln2 split in a
 *       9-bit head (so {@code k * LN2_HI} is exact) and a tail; {@code e^r} by its Taylor series
 *       to r⁷; the scale 2^k applied as two factors 2^(k/2) so results that underflow into the
 *       subnormal range are rounded once, gradually, instead of flushed.</li>
 *   <li>{@code erf(z)} for |z| &lt; 0.5: Taylor series {@code z + z·Q(z²)}, 7 terms.</li>
 *   <li>{@code erfc(z)} for z ≥ 0.5: {@code e^(-z²) · erfcx(z)}, with {@code erfcx} (the scaled
 *       complementary error function) a degree-11 polynomial in {@code t = 1/(1 + z)} fitted to a
 *       40-digit reference; {@code z²} is split exactly into {@code hi + lo} (one FMA) so the
 *       exponential's argument carries no rounding error, which otherwise grows to ~1e-5
 *       relative error at z = 10.</li>
 * </ul>
 * Coefficient tables and their provenance: {@code tools/math/float_approximations.py}.
 *
 * <p><b>Accuracy</b> (worst case over dense grids, against an independent double reference; the
 * bounds are asserted in {@code FloatMathTest}): exp 0.9 ulp, erf 2.3 ulp, erfc 4.5 ulp (2.7e-7
 * relative) wherever the result is a normal float; in the subnormal range the absolute error is a
 * few subnormal steps. The erfc error is mostly the rounding of {@code t}, which a float
 * polynomial in t cannot avoid. NaN propagates.
 */
public final class FloatMath {
    private FloatMath() {}

    // exp: arguments are clamped to [EXP_MIN, EXP_MAX]; outside, the result rounds to 0 or overflows anyway.
    static final float EXP_MIN = -104f;
    static final float EXP_MAX = 89f;
    static final float LOG2E = (float) (1 / Math.log(2));
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = (float) (Math.log(2) - 0.693359375);
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer (ties to even). */
    static final float ROUND = 12582912f;
    static final int ROUND_BITS = 0x4B400000;
    static final float EXP2 = 5.000000000e-01f;
    static final float EXP3 = 1.666666716e-01f;
    static final float EXP4 = 4.166666791e-02f;
    static final float EXP5 = 8.333333768e-03f;
    static final float EXP6 = 1.388888923e-03f;
    static final float EXP7 = 1.984127011e-04f;

    /** erf(z) = z + z * Q(z^2) below this |z|; erfc via erfcx at and above it. */
    static final float ERF_SMALL = 0.5f;
    static final float ERF0 = 1.283791661e-01f; // 2/sqrt(pi) - 1
    static final float ERF1 = -3.761263788e-01f;
    static final float ERF2 = 1.128379181e-01f;
    static final float ERF3 = -2.686617151e-02f;
    static final float ERF4 = 5.223977845e-03f;
    static final float ERF5 = -8.548327023e-04f;
    static final float ERF6 = 1.205533263e-04f;

    /** erfc(z) is below half the smallest subnormal beyond this z: larger arguments are clamped to it. */
    static final float ERFC_MAX = 10.1f;
    static final float CX0 = -3.545835057e-07f;
    static final float CX1 = 5.642128587e-01f;
    static final float CX2 = 5.635268688e-01f;
    static final float CX3 = 2.929025590e-01f;
    static final float CX4 = -3.945200145e-01f;
    static final float CX5 = 7.880071551e-02f;
    static final float CX6 = -3.868236542e+00f;
    static final float CX7 = 1.351674366e+01f;
    static final float CX8 = -2.171334267e+01f;
    static final float CX9 = 1.965344048e+01f;
    static final float CX10 = -9.816027641e+00f;
    static final float CX11 = 2.125141382e+00f;

    /** e^x. */
    public static float exp(float x) {
        float c = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float shifted = Math.fma(c, LOG2E, ROUND);
        float k = shifted - ROUND;
        float r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, c));
        float p = Math.fma(EXP7, r, EXP6);
        p = Math.fma(p, r, EXP5);
        p = Math.fma(p, r, EXP4);
        p = Math.fma(p, r, EXP3);
        p = Math.fma(p, r, EXP2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int n = Float.floatToRawIntBits(shifted) - ROUND_BITS;
        int n1 = n >> 1;
        return p * pow2(n1) * pow2(n - n1);
    }

    private static float pow2(int n) {
        return Float.intBitsToFloat((n + 127) << 23);
    }

    /** The rounding error of the float product {@code hi = z*z}: {@code z*z == hi + lo} exactly. */
    static float squareError(float z, float hi) {
        return Math.fma(z, z, -hi);
    }

    /** e^(-z²) with z² taken exactly; |z| up to ~14.3 is meaningful (beyond, the result is 0). */
    static float expNegSquare(float z) {
        float hi = z * z;
        float lo = squareError(z, hi);
        return exp(-hi) * (1f - lo);
    }

    /** e^(-x²/2) with x² taken exactly. */
    static float expNegHalfSquare(float x) {
        float hi = x * x;
        float lo = squareError(x, hi);
        return exp(-0.5f * hi) * (1f - 0.5f * lo);
    }

    /** erf(z) for |z| &lt; {@link #ERF_SMALL}. */
    static float erfSmall(float z) {
        float s = z * z;
        float q = Math.fma(ERF6, s, ERF5);
        q = Math.fma(q, s, ERF4);
        q = Math.fma(q, s, ERF3);
        q = Math.fma(q, s, ERF2);
        q = Math.fma(q, s, ERF1);
        q = Math.fma(q, s, ERF0);
        return Math.fma(z, q, z);
    }

    /** erfcx(z) = e^(z²) erfc(z) for {@link #ERF_SMALL} ≤ z ≤ {@link #ERFC_MAX}. */
    static float erfcx(float z) {
        float t = 1f / (1f + z);
        float p = Math.fma(CX11, t, CX10);
        p = Math.fma(p, t, CX9);
        p = Math.fma(p, t, CX8);
        p = Math.fma(p, t, CX7);
        p = Math.fma(p, t, CX6);
        p = Math.fma(p, t, CX5);
        p = Math.fma(p, t, CX4);
        p = Math.fma(p, t, CX3);
        p = Math.fma(p, t, CX2);
        p = Math.fma(p, t, CX1);
        return Math.fma(p, t, CX0);
    }

    /** erfc(|x|) for |x| ≥ {@link #ERF_SMALL} (arguments beyond {@link #ERFC_MAX} give 0). */
    static float erfcTail(float a) {
        float z = Math.min(a, ERFC_MAX);
        return expNegSquare(z) * erfcx(z);
    }

    /** The error function. */
    public static float erf(float x) {
        float a = Math.abs(x);
        if (a < ERF_SMALL) return erfSmall(x);
        float r = 1f - erfcTail(a);
        return x > 0 ? r : -r;
    }

    /** The complementary error function 1 - erf(x), accurate in relative terms for large x. */
    public static float erfc(float x) {
        float a = Math.abs(x);
        if (a < ERF_SMALL) return 1f - erfSmall(x);
        float e = erfcTail(a);
        return x > 0 ? e : 2f - e;
    }

    /** {@code t} with the sign bit of {@code x}; {@code t} must be non-negative. */
    static float withSignOf(float t, float x) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(x) & 0x80000000));
    }
}
