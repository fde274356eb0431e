package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link RowOps}; loaded only when {@link Simd#enabled()}. */
final class RowOpsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lane i takes lane 2i (or 2i + 1) of a vector, modulo its length: two vectors' evens (odds) in their own halves. */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(S, i -> 2 * i % S.length()),
            ODDS = VectorShuffle.fromOp(S, i -> (2 * i + 1) % S.length());
    /** The upper half of the lanes, where the second vector's evens (odds) go. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, -1L << (S.length() / 2));

    private RowOpsVector() {}

    static void add(float[] dst, int d, float[] src, int s, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] += src[s + i];
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
     * returns j for the scalar tail. Single-vector permutes and a blend, written out: JDK 17 does not
     * compile the two-vector {@code rearrange} to register code (see {@code RegisterTranspose}).
     */
    static int deinterleave(float[] src, int s, int len, float[] even, int e, float[] odd, int o) {
        final int vl = S.length();
        int j = 0;
        for (; 2 * (j + vl) <= len; j += vl) {
            FloatVector a = FloatVector.fromArray(S, src, s + 2 * j), b = FloatVector.fromArray(S, src, s + 2 * j + vl);
            a.rearrange(EVENS).blend(b.rearrange(EVENS), UPPER).intoArray(even, e + j);
            a.rearrange(ODDS).blend(b.rearrange(ODDS), UPPER).intoArray(odd, o + j);
        }
        return j;
    }
}
