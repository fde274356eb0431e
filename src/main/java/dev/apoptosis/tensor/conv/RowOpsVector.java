package dev.apoptosis.tensor.conv;

import static dev.apoptosis.tensor.gemm.RegisterTranspose.EVENS_THEN_ODDS;
import static dev.apoptosis.tensor.gemm.RegisterTranspose.ODDS_THEN_EVENS;
import static dev.apoptosis.tensor.gemm.RegisterTranspose.UPPER_HALF;

import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.gemm.RegisterTranspose;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link RowOps}; loaded only when {@link Simd#enabled()}. */
final class RowOpsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private RowOpsVector() {}

    static void add(float[] dst, int d, float[] src, int s, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] += src[s + i];
    }

    static void storePlus(float[] dst, int d, float[] src, int s, float b, int len, boolean accumulate) {
        int i = 0;
        FloatVector bv = FloatVector.broadcast(S, b);
        int bound = S.loopBound(len);
        if (accumulate) {
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).add(bv).intoArray(dst, d + i);
            }
            for (; i < len; i++) dst[d + i] = (dst[d + i] + src[s + i]) + b;
        } else {
            for (; i < bound; i += S.length()) FloatVector.fromArray(S, src, s + i).add(bv).intoArray(dst, d + i);
            for (; i < len; i++) dst[d + i] = src[s + i] + b;
        }
    }

    static void addScalar(float[] dst, int d, float b, int len) {
        int i = 0;
        FloatVector bv = FloatVector.broadcast(S, b);
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dst, d + i).add(bv).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] += b;
    }

    static void axpy(float[] dst, int d, float a, float[] src, int s, int len) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(S, a);
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i).mul(av)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] += a * src[s + i];
    }

    static void copy(float[] dst, int d, float[] src, int s, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = src[s + i];
    }

    static void copyRuns(float[] dst, int d, int dStride, float[] src, int s, int sStride, int runs, int len) {
        int bound = S.loopBound(len);
        for (int r = 0; r < runs; r++) {
            int dr = d + r * dStride, sr = s + r * sStride;
            int i = 0;
            for (; i < bound; i += S.length()) FloatVector.fromArray(S, src, sr + i).intoArray(dst, dr + i);
            for (; i < len; i++) dst[dr + i] = src[sr + i];
        }
    }

    /**
     * {@link RowOps#deinterleave} for the first {@code j} pairs of columns, two vectors of the row at a time;
     * returns j for the scalar tail. {@link RegisterTranspose}'s unzip: single-vector permutes and a blend,
     * written out, as JDK 17 does not compile the two-vector {@code rearrange} to register code.
     */
    static int deinterleave(float[] src, int s, int len, float[] even, int e, float[] odd, int o) {
        final int vl = S.length();
        int j = 0;
        for (; 2 * (j + vl) <= len; j += vl) {
            FloatVector a = FloatVector.fromArray(S, src, s + 2 * j), b = FloatVector.fromArray(S, src, s + 2 * j + vl);
            a.rearrange(EVENS_THEN_ODDS).blend(b.rearrange(ODDS_THEN_EVENS), UPPER_HALF).intoArray(even, e + j);
            a.rearrange(ODDS_THEN_EVENS).blend(b.rearrange(EVENS_THEN_ODDS), UPPER_HALF).intoArray(odd, o + j);
        }
        return j;
    }
}
