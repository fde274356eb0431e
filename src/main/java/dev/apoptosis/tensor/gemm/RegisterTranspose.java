package dev.apoptosis.tensor.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposition in registers, for the layout changes of the convolutions ({@code conv.Transpose}) and
 * the packing of A ({@link GemmVectorPacking}).
 *
 * <p>n rows of one vector length are loaded as n vectors and interleaved log2(n) times: each round
 * replaces rows i and i + n/2 by their zip (lanes alternating between the two, from their low halves,
 * then from their high halves). Each round moves one bit of the row index into the lane index, as a
 * perfect shuffle does, so after log2(vector length) rounds row i holds column i ({@link #block16}),
 * and after three rounds of eight rows each vector holds whole columns of eight ({@link #eightRows}).
 *
 * <p>One zip is two single-vector permutes and a blend, written out at every use: JDK 17 compiled
 * neither the two-vector {@code rearrange} nor a helper method holding the zip to register code (the
 * blend stayed a boxed call, 1.5-40x slower than the scalar loop). Against scalar 16 x 16 tiles
 * ({@code bench/ab_conv.sh}, 3 rounds, AMD EPYC Zen 4, 1 thread): weight gradient 32 channels 16x16
 * 1.05x, 64 channels 8x8 1.04x, 16 channels 8x8 forward 1.09x.
 */
public final class RegisterTranspose {
    /** The one float species of the kernels (a second one slows every other kernel: see {@code OneFloatSpeciesTest}). */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * A zip's parts, for kernels that write one out in their own loops (see above): the zip of x and y
     * from their low halves is {@code x.rearrange(ZIP_LOW).blend(y.rearrange(ZIP_LOW), ZIP_ODD_LANES)},
     * from their high halves the same with {@code ZIP_HIGH}.
     */
    public static final VectorShuffle<Float> ZIP_LOW = halves(0), ZIP_HIGH = halves(S.length() / 2);
    /** See {@link #ZIP_LOW}. */
    public static final VectorMask<Float> ZIP_ODD_LANES = oddLanes();
    /**
     * An unzip's parts, the inverse of a zip: {@code EVENS_THEN_ODDS} puts a vector's even lanes in its low
     * half and its odd lanes in its high half, {@code ODDS_THEN_EVENS} the other way round. The even lanes of
     * two vectors x, y (x's low, y's high) are {@code x.rearrange(EVENS_THEN_ODDS).blend(y.rearrange(ODDS_THEN_EVENS),
     * UPPER_HALF)}, their odd lanes the same with the two shuffles swapped.
     */
    public static final VectorShuffle<Float> EVENS_THEN_ODDS = unzip(0), ODDS_THEN_EVENS = unzip(1);
    /** The high half of the lanes. See {@link #EVENS_THEN_ODDS}. */
    public static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(S, -1L << (S.length() / 2));

    /** True when this machine's vector length is 8 or 16 floats, the lengths these blocks are written for. */
    public static final boolean AVAILABLE = S.length() == 8 || S.length() == 16;
    /** The side of a square block {@link #block} transposes: the vector length. */
    public static final int BLOCK = S.length();

    private RegisterTranspose() {}

    /** {@code dst[d + c * ldd + r] = src[s + r * lds + c]} for one {@link #BLOCK} x BLOCK block (needs {@link #AVAILABLE}). */
    public static void block(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        if (BLOCK == 16) {
            block16(src, s, lds, dst, d, ldd);
        } else {
            eightRows(src, s, lds, dst, d, ldd);
        }
    }

    /**
     * {@code dst[d + 2i] = a[ai + i]}, {@code dst[d + 2i + 1] = b[bi + i]} for i below the vector length:
     * one zip of two vectors, stored as two.
     */
    public static void interleave(float[] a, int ai, float[] b, int bi, float[] dst, int d) {
        FloatVector x = FloatVector.fromArray(S, a, ai), y = FloatVector.fromArray(S, b, bi);
        x.rearrange(ZIP_LOW).blend(y.rearrange(ZIP_LOW), ZIP_ODD_LANES).intoArray(dst, d);
        x.rearrange(ZIP_HIGH).blend(y.rearrange(ZIP_HIGH), ZIP_ODD_LANES).intoArray(dst, d + S.length());
    }

    /** The shuffle taking lane from + i / 2 into lane i: each of one half's lanes twice. */
    private static VectorShuffle<Float> halves(int from) {
        int[] index = new int[S.length()];
        for (int i = 0; i < index.length; i++) index[i] = from + i / 2;
        return VectorShuffle.fromArray(S, index, 0);
    }

    /** Lane i of the low half takes lane 2i + first, of the high half lane 2(i - half) + 1 - first. */
    private static VectorShuffle<Float> unzip(int first) {
        int half = S.length() / 2;
        return VectorShuffle.fromOp(S, i -> i < half ? 2 * i + first : 2 * (i - half) + 1 - first);
    }

    private static VectorMask<Float> oddLanes() {
        boolean[] odd = new boolean[S.length()];
        for (int i = 1; i < odd.length; i += 2) odd[i] = true;
        return VectorMask.fromArray(S, odd, 0);
    }

    /** One 16x16 block: {@code dst[d + c * ldd + r] = src[s + r * lds + c]} for r, c < 16. */
    private static void block16(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        FloatVector v0 = FloatVector.fromArray(S, src, s);
        FloatVector v1 = FloatVector.fromArray(S, src, s + lds);
        FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * lds);
        FloatVector v3 = FloatVector.fromArray(S, src, s + 3 * lds);
        FloatVector v4 = FloatVector.fromArray(S, src, s + 4 * lds);
        FloatVector v5 = FloatVector.fromArray(S, src, s + 5 * lds);
        FloatVector v6 = FloatVector.fromArray(S, src, s + 6 * lds);
        FloatVector v7 = FloatVector.fromArray(S, src, s + 7 * lds);
        FloatVector v8 = FloatVector.fromArray(S, src, s + 8 * lds);
        FloatVector v9 = FloatVector.fromArray(S, src, s + 9 * lds);
        FloatVector v10 = FloatVector.fromArray(S, src, s + 10 * lds);
        FloatVector v11 = FloatVector.fromArray(S, src, s + 11 * lds);
        FloatVector v12 = FloatVector.fromArray(S, src, s + 12 * lds);
        FloatVector v13 = FloatVector.fromArray(S, src, s + 13 * lds);
        FloatVector v14 = FloatVector.fromArray(S, src, s + 14 * lds);
        FloatVector v15 = FloatVector.fromArray(S, src, s + 15 * lds);
        FloatVector w0 = v0.rearrange(ZIP_LOW).blend(v8.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w1 = v0.rearrange(ZIP_HIGH).blend(v8.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w2 = v1.rearrange(ZIP_LOW).blend(v9.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w3 = v1.rearrange(ZIP_HIGH).blend(v9.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w4 = v2.rearrange(ZIP_LOW).blend(v10.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w5 = v2.rearrange(ZIP_HIGH).blend(v10.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w6 = v3.rearrange(ZIP_LOW).blend(v11.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w7 = v3.rearrange(ZIP_HIGH).blend(v11.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w8 = v4.rearrange(ZIP_LOW).blend(v12.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w9 = v4.rearrange(ZIP_HIGH).blend(v12.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w10 = v5.rearrange(ZIP_LOW).blend(v13.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w11 = v5.rearrange(ZIP_HIGH).blend(v13.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w12 = v6.rearrange(ZIP_LOW).blend(v14.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w13 = v6.rearrange(ZIP_HIGH).blend(v14.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w14 = v7.rearrange(ZIP_LOW).blend(v15.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w15 = v7.rearrange(ZIP_HIGH).blend(v15.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v0 = w0.rearrange(ZIP_LOW).blend(w8.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v1 = w0.rearrange(ZIP_HIGH).blend(w8.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v2 = w1.rearrange(ZIP_LOW).blend(w9.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v3 = w1.rearrange(ZIP_HIGH).blend(w9.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v4 = w2.rearrange(ZIP_LOW).blend(w10.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v5 = w2.rearrange(ZIP_HIGH).blend(w10.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v6 = w3.rearrange(ZIP_LOW).blend(w11.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v7 = w3.rearrange(ZIP_HIGH).blend(w11.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v8 = w4.rearrange(ZIP_LOW).blend(w12.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v9 = w4.rearrange(ZIP_HIGH).blend(w12.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v10 = w5.rearrange(ZIP_LOW).blend(w13.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v11 = w5.rearrange(ZIP_HIGH).blend(w13.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v12 = w6.rearrange(ZIP_LOW).blend(w14.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v13 = w6.rearrange(ZIP_HIGH).blend(w14.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v14 = w7.rearrange(ZIP_LOW).blend(w15.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v15 = w7.rearrange(ZIP_HIGH).blend(w15.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w0 = v0.rearrange(ZIP_LOW).blend(v8.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w1 = v0.rearrange(ZIP_HIGH).blend(v8.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w2 = v1.rearrange(ZIP_LOW).blend(v9.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w3 = v1.rearrange(ZIP_HIGH).blend(v9.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w4 = v2.rearrange(ZIP_LOW).blend(v10.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w5 = v2.rearrange(ZIP_HIGH).blend(v10.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w6 = v3.rearrange(ZIP_LOW).blend(v11.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w7 = v3.rearrange(ZIP_HIGH).blend(v11.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w8 = v4.rearrange(ZIP_LOW).blend(v12.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w9 = v4.rearrange(ZIP_HIGH).blend(v12.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w10 = v5.rearrange(ZIP_LOW).blend(v13.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w11 = v5.rearrange(ZIP_HIGH).blend(v13.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w12 = v6.rearrange(ZIP_LOW).blend(v14.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w13 = v6.rearrange(ZIP_HIGH).blend(v14.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w14 = v7.rearrange(ZIP_LOW).blend(v15.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w15 = v7.rearrange(ZIP_HIGH).blend(v15.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v0 = w0.rearrange(ZIP_LOW).blend(w8.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v1 = w0.rearrange(ZIP_HIGH).blend(w8.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v2 = w1.rearrange(ZIP_LOW).blend(w9.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v3 = w1.rearrange(ZIP_HIGH).blend(w9.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v4 = w2.rearrange(ZIP_LOW).blend(w10.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v5 = w2.rearrange(ZIP_HIGH).blend(w10.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v6 = w3.rearrange(ZIP_LOW).blend(w11.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v7 = w3.rearrange(ZIP_HIGH).blend(w11.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v8 = w4.rearrange(ZIP_LOW).blend(w12.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v9 = w4.rearrange(ZIP_HIGH).blend(w12.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v10 = w5.rearrange(ZIP_LOW).blend(w13.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v11 = w5.rearrange(ZIP_HIGH).blend(w13.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v12 = w6.rearrange(ZIP_LOW).blend(w14.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v13 = w6.rearrange(ZIP_HIGH).blend(w14.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v14 = w7.rearrange(ZIP_LOW).blend(w15.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v15 = w7.rearrange(ZIP_HIGH).blend(w15.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v0.intoArray(dst, d);
        v1.intoArray(dst, d + ldd);
        v2.intoArray(dst, d + 2 * ldd);
        v3.intoArray(dst, d + 3 * ldd);
        v4.intoArray(dst, d + 4 * ldd);
        v5.intoArray(dst, d + 5 * ldd);
        v6.intoArray(dst, d + 6 * ldd);
        v7.intoArray(dst, d + 7 * ldd);
        v8.intoArray(dst, d + 8 * ldd);
        v9.intoArray(dst, d + 9 * ldd);
        v10.intoArray(dst, d + 10 * ldd);
        v11.intoArray(dst, d + 11 * ldd);
        v12.intoArray(dst, d + 12 * ldd);
        v13.intoArray(dst, d + 13 * ldd);
        v14.intoArray(dst, d + 14 * ldd);
        v15.intoArray(dst, d + 15 * ldd);
    }

    /**
     * Eight rows of one vector length from {@code src[s + r * lds]}, interleaved so that vector j holds
     * columns {@code j * VL / 8} onward, eight values each (row 0 to 7), stored at {@code dst[d + j * ldd]}:
     * with 8 lanes an 8x8 transpose, with 16 lanes two columns per vector, which stored {@code ldd = 16}
     * apart is {@link GemmVectorPacking}'s layout of an A micro-panel.
     */
    public static void eightRows(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        FloatVector v0 = FloatVector.fromArray(S, src, s);
        FloatVector v1 = FloatVector.fromArray(S, src, s + lds);
        FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * lds);
        FloatVector v3 = FloatVector.fromArray(S, src, s + 3 * lds);
        FloatVector v4 = FloatVector.fromArray(S, src, s + 4 * lds);
        FloatVector v5 = FloatVector.fromArray(S, src, s + 5 * lds);
        FloatVector v6 = FloatVector.fromArray(S, src, s + 6 * lds);
        FloatVector v7 = FloatVector.fromArray(S, src, s + 7 * lds);
        FloatVector w0 = v0.rearrange(ZIP_LOW).blend(v4.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w1 = v0.rearrange(ZIP_HIGH).blend(v4.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w2 = v1.rearrange(ZIP_LOW).blend(v5.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w3 = v1.rearrange(ZIP_HIGH).blend(v5.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w4 = v2.rearrange(ZIP_LOW).blend(v6.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w5 = v2.rearrange(ZIP_HIGH).blend(v6.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        FloatVector w6 = v3.rearrange(ZIP_LOW).blend(v7.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        FloatVector w7 = v3.rearrange(ZIP_HIGH).blend(v7.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v0 = w0.rearrange(ZIP_LOW).blend(w4.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v1 = w0.rearrange(ZIP_HIGH).blend(w4.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v2 = w1.rearrange(ZIP_LOW).blend(w5.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v3 = w1.rearrange(ZIP_HIGH).blend(w5.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v4 = w2.rearrange(ZIP_LOW).blend(w6.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v5 = w2.rearrange(ZIP_HIGH).blend(w6.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        v6 = w3.rearrange(ZIP_LOW).blend(w7.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        v7 = w3.rearrange(ZIP_HIGH).blend(w7.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w0 = v0.rearrange(ZIP_LOW).blend(v4.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w1 = v0.rearrange(ZIP_HIGH).blend(v4.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w2 = v1.rearrange(ZIP_LOW).blend(v5.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w3 = v1.rearrange(ZIP_HIGH).blend(v5.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w4 = v2.rearrange(ZIP_LOW).blend(v6.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w5 = v2.rearrange(ZIP_HIGH).blend(v6.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w6 = v3.rearrange(ZIP_LOW).blend(v7.rearrange(ZIP_LOW), ZIP_ODD_LANES);
        w7 = v3.rearrange(ZIP_HIGH).blend(v7.rearrange(ZIP_HIGH), ZIP_ODD_LANES);
        w0.intoArray(dst, d);
        w1.intoArray(dst, d + ldd);
        w2.intoArray(dst, d + 2 * ldd);
        w3.intoArray(dst, d + 3 * ldd);
        w4.intoArray(dst, d + 4 * ldd);
        w5.intoArray(dst, d + 5 * ldd);
        w6.intoArray(dst, d + 6 * ldd);
        w7.intoArray(dst, d + 7 * ldd);
    }
}
