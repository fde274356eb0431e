package dev.apoptosis.tensor.elementwise;

import static dev.apoptosis.tensor.elementwise.FloatMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link FloatMath}: the same operations in the same order on every lane, so
 * each lane's result is bit-identical to the scalar function's. Read {@link FloatMath} for the
 * methods and their accuracy; keep the two files in step when changing either.
 *
 * <p><b>Why whole-array passes, not {@code FloatVector -> FloatVector} helpers.</b> On Java 17, C2
 * stops inlining ordinary methods once a compilation grows past an internal node budget, and a
 * helper that takes or returns a {@code FloatVector} and is not inlined boxes its vectors on the
 * heap: ten to fifty times slower. Vector API methods themselves are exempt (they are force-inlined
 * later), so every Vector API kernel under {@code dev.apoptosis.tensor} is written as straight-line
 * code inside one loop, and kernels compose through small float arrays instead of vector-valued
 * calls. Also: float-to-int lane conversion is not intrinsified on Java 17, so {@code exp} reads
 * the rounded exponent from the float's bits.
 */
public final class FloatMathVector {
    private FloatMathVector() {}

    /** The preferred float species, the one every Vector API kernel uses (see {@code OneFloatSpeciesTest}). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** out[i] = e^in[i] (may be in place). */
    public static void exp(float[] in, int io, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector c = FloatVector.fromArray(F, in, io + i).max(EXP_MIN).min(EXP_MAX);
            FloatVector shifted = c.fma(LOG2E, ROUND);
            FloatVector k = shifted.sub(ROUND);
            FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_LO), k.fma(FloatVector.broadcast(F, -LN2_HI), c));
            FloatVector p = r.fma(EXP7, EXP6)
                    .fma(r, FloatVector.broadcast(F, EXP5))
                    .fma(r, FloatVector.broadcast(F, EXP4))
                    .fma(r, FloatVector.broadcast(F, EXP3))
                    .fma(r, FloatVector.broadcast(F, EXP2))
                    .fma(r, FloatVector.broadcast(F, 1f))
                    .fma(r, FloatVector.broadcast(F, 1f));
            IntVector n0 = shifted.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = n0.lanewise(VectorOperators.ASHR, 1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n0.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(s1).mul(s2).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = FloatMath.exp(in[io + i]);
    }

    /**
     * Splits the exact square of {@code min(|x|, clamp)}: {@code arg[i] = -scale * hi},
     * {@code lo[i] = lo} with {@code hi + lo} the exact square; scale is 1 or 1/2. Then
     * {@code e^(-scale x²) = exp(arg) * (1 - scale * lo)}.
     */
    static void negSquareArgs(float[] x, int xo, float clamp, float scale, float[] arg, float[] lo, int n) {
        float negScale = -scale;
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, x, xo + i).abs().min(clamp);
            FloatVector hi = z.mul(z);
            hi.mul(negScale).intoArray(arg, i);
            z.fma(z, hi.neg()).intoArray(lo, i);
        }
        for (; i < n; i++) {
            float z = Math.min(Math.abs(x[xo + i]), clamp);
            float hi = z * z;
            arg[i] = negScale * hi;
            lo[i] = squareError(z, hi);
        }
    }
}
