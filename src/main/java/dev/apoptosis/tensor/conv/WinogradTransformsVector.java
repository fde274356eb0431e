package dev.apoptosis.tensor.conv;

import static dev.apoptosis.tensor.gemm.RegisterTranspose.EVENS_THEN_ODDS;
import static dev.apoptosis.tensor.gemm.RegisterTranspose.ODDS_THEN_EVENS;
import static dev.apoptosis.tensor.gemm.RegisterTranspose.ZIP_HIGH;
import static dev.apoptosis.tensor.gemm.RegisterTranspose.ZIP_LOW;
import static dev.apoptosis.tensor.gemm.RegisterTranspose.ZIP_ODD_LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of the tile-plane transforms of {@link WinogradTransforms}: the same layout
 * and the same operations in the same order, a vector of consecutive tiles at a time; tiles beyond
 * the last whole vector go to the scalar code.
 */
final class WinogradTransformsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private WinogradTransformsVector() {}

    /** Floats of the staging buffer {@link #filters} takes: the 9 taps of a vector of filters. */
    static final int FILTER_STAGE = 9 * S.length();

    /**
     * As {@link WinogradTransforms#filter} for {@code count} filters, filter f's tap t read from
     * {@code w[at + f filterStride + t tapStep]} ({@code tapStep} 1, or -1 for a filter read rotated by
     * 180 degrees: an input gradient's filters, read where the original filters lie instead of from a
     * flipped and transposed copy), its 16 values going to {@code u[uOff + f + ξ xiStride]}. A vector of
     * filters at a time: their taps staged tap by tap in {@code taps} ({@link #FILTER_STAGE} floats), so
     * that each of the 16 planes is written a whole vector at a time instead of a float at a time 16
     * planes apart (the scalar loop took a quarter of a 512-channel 4x4 Winograd forward, AMD EPYC Zen 4).
     */
    static void filters(float[] w, int at, int filterStride, int tapStep, int count, float[] u, int uOff, int xiStride,
                        float[] taps) {
        final int full = S.loopBound(count), vl = S.length();
        for (int i = 0; i < full; i += vl) {
            int o = uOff + i;
            for (int f = 0; f < vl; f++) {
                int from = at + (i + f) * filterStride;
                for (int t = 0; t < 9; t++) taps[t * vl + f] = w[from + t * tapStep];
            }
            FloatVector g0 = tap(taps, 0), g1 = tap(taps, 3), g2 = tap(taps, 6);
            FloatVector h00 = g0, h10 = g0.add(g1).add(g2).mul(0.5f), h20 = g0.sub(g1).add(g2).mul(0.5f), h30 = g2;
            g0 = tap(taps, 1);
            g1 = tap(taps, 4);
            g2 = tap(taps, 7);
            FloatVector h01 = g0, h11 = g0.add(g1).add(g2).mul(0.5f), h21 = g0.sub(g1).add(g2).mul(0.5f), h31 = g2;
            g0 = tap(taps, 2);
            g1 = tap(taps, 5);
            g2 = tap(taps, 8);
            FloatVector h02 = g0, h12 = g0.add(g1).add(g2).mul(0.5f), h22 = g0.sub(g1).add(g2).mul(0.5f), h32 = g2;
            filterRow(u, o, xiStride, h00, h01, h02);
            filterRow(u, o + 4 * xiStride, xiStride, h10, h11, h12);
            filterRow(u, o + 8 * xiStride, xiStride, h20, h21, h22);
            filterRow(u, o + 12 * xiStride, xiStride, h30, h31, h32);
        }
        for (int i = full; i < count; i++) {
            int from = at + i * filterStride;
            for (int t = 0; t < 9; t++) taps[t] = w[from + t * tapStep];
            WinogradTransforms.filter(taps, 0, u, uOff + i, xiStride);
        }
    }

    /** Tap t of the vector of filters staged in {@code taps} (tap by tap, {@code S.length()} filters each). */
    private static FloatVector tap(float[] taps, int t) {
        return FloatVector.fromArray(S, taps, t * S.length());
    }

    private static void filterRow(float[] u, int at, int xiStride, FloatVector a, FloatVector b, FloatVector c) {
        a.intoArray(u, at);
        a.add(b).add(c).mul(0.5f).intoArray(u, at + xiStride);
        a.sub(b).add(c).mul(0.5f).intoArray(u, at + 2 * xiStride);
        c.intoArray(u, at + 3 * xiStride);
    }

    /**
     * As {@link WinogradTransforms#inputRow}, half a vector of tiles at a time: tile tx reads
     * {@code E[tx] = row[2tx]}, {@code O[tx] = row[2tx + 1]} and the same one tile on; a vector loaded at
     * {@code 2 tx} and permuted has the E of half a vector of tiles in its low lanes (or the O), one
     * loaded two floats on those of the next tiles, so the four outputs are one vector operation each,
     * in the scalar twin's order (the same bits). The scalar loop was a quarter of a 32-channel 16x16
     * or 64-channel 8x8 Winograd pass (AMD EPYC Zen 4). Writes whole vectors: up to a half vector past
     * the last tile of a plane row, which the next row of that parity overwrites (or the caller's
     * slack takes), and reads up to {@code 2 tilesW + vector length} floats of {@code row}.
     */
    static void inputRow(float[] row, int tilesW, float[] r, int out, int planeStride) {
        final int half = S.length() / 2;
        for (int tx = 0; tx < tilesW; tx += half) {
            FloatVector here = FloatVector.fromArray(S, row, 2 * tx), next = FloatVector.fromArray(S, row, 2 * tx + 2);
            FloatVector x0 = here.rearrange(EVENS_THEN_ODDS), x1 = here.rearrange(ODDS_THEN_EVENS);
            FloatVector x2 = next.rearrange(EVENS_THEN_ODDS), x3 = next.rearrange(ODDS_THEN_EVENS);
            int o = out + tx;
            x0.sub(x2).intoArray(r, o);
            x1.add(x2).intoArray(r, o + planeStride);
            x2.sub(x1).intoArray(r, o + 2 * planeStride);
            x1.sub(x3).intoArray(r, o + 3 * planeStride);
        }
    }

    /** Lane i of the first quarter takes lane 2i (or 2i + 1), of the second quarter lane 2(i - q) (+ 1); the rest lane 0. */
    private static final VectorShuffle<Float> FIRST_EVENS = quarter(0, 0), FIRST_ODDS = quarter(0, 1),
            SECOND_EVENS = quarter(1, 0), SECOND_ODDS = quarter(1, 1);
    /** The second quarter of the lanes. */
    private static final VectorMask<Float> SECOND_QUARTER = VectorMask.fromLong(S, ((1L << S.length() / 4) - 1) << S.length() / 4);

    private static VectorShuffle<Float> quarter(int which, int odd) {
        int q = S.length() / 4;
        return VectorShuffle.fromOp(S, i -> i / q == which ? 2 * (i % q) + odd : 0);
    }

    /**
     * {@link #inputRow} of two rows of a quarter vector of tiles each (8x8 outputs with AVX-512): row
     * {@code a}'s tiles at {@code r[out + j planeStride]}, row {@code b}'s right after them, as the next
     * row of a parity lies in the planes. Each operand is two permutes and a blend (one row's columns in
     * the first quarter of the lanes, the other's in the second), then the same four operations in the
     * same order. Writes whole vectors, a half vector past the two rows' tiles.
     */
    static void inputRowPair(float[] a, float[] b, float[] r, int out, int planeStride) {
        FloatVector a0 = FloatVector.fromArray(S, a, 0), b0 = FloatVector.fromArray(S, b, 0);
        FloatVector a2 = FloatVector.fromArray(S, a, 2), b2 = FloatVector.fromArray(S, b, 2);
        FloatVector x0 = a0.rearrange(FIRST_EVENS).blend(b0.rearrange(SECOND_EVENS), SECOND_QUARTER);
        FloatVector x1 = a0.rearrange(FIRST_ODDS).blend(b0.rearrange(SECOND_ODDS), SECOND_QUARTER);
        FloatVector x2 = a2.rearrange(FIRST_EVENS).blend(b2.rearrange(SECOND_EVENS), SECOND_QUARTER);
        FloatVector x3 = a2.rearrange(FIRST_ODDS).blend(b2.rearrange(SECOND_ODDS), SECOND_QUARTER);
        x0.sub(x2).intoArray(r, out);
        x1.add(x2).intoArray(r, out + planeStride);
        x2.sub(x1).intoArray(r, out + 2 * planeStride);
        x1.sub(x3).intoArray(r, out + 3 * planeStride);
    }

    /**
     * As {@link #storeOutput} for outputs one vector wide ({@code tilesW} a half vector), whole rows at
     * a time: output row {@code 2 ty + a} is the tiles of row ty of the planes {@code Y_a0} and
     * {@code Y_a1} zipped (pixel {@code 2 tx + b} from plane {@code 2a + b}), and a vector of plane
     * tiles holds two tile rows, so two zips ({@link dev.apoptosis.tensor.gemm.RegisterTranspose#ZIP_LOW})
     * give rows {@code 2ty + a} and {@code 2ty + 2 + a}; rows
     * {@code [0, rows)} of the band, four at a time, the rest through the scalar gather. Same sums as
     * the gather (plane value + bias, + y), so the same bits; a gather per vector took 12 % of a
     * 32-channel 16x16 Winograd forward (AMD EPYC Zen 4).
     */
    static void storeOutputRows(float[] planes, int base, int tiles, int[] idx, float bias, float[] y, int dst,
                                boolean accumulate, int rows) {
        final int ow = S.length(), tilesW = ow / 2;
        int ty = 0;
        for (; 2 * ty + 3 < rows; ty += 2) {
            for (int a = 0; a < 2; a++) {
                int at = base + 2 * a * tiles + ty * tilesW;
                FloatVector even = FloatVector.fromArray(S, planes, at), odd = FloatVector.fromArray(S, planes, at + tiles);
                FloatVector upper = even.rearrange(ZIP_LOW).blend(odd.rearrange(ZIP_LOW), ZIP_ODD_LANES).add(bias);
                FloatVector lower = even.rearrange(ZIP_HIGH).blend(odd.rearrange(ZIP_HIGH), ZIP_ODD_LANES).add(bias);
                int u = dst + (2 * ty + a) * ow, l = u + 2 * ow;
                if (accumulate) {
                    upper = FloatVector.fromArray(S, y, u).add(upper);
                    lower = FloatVector.fromArray(S, y, l).add(lower);
                }
                upper.intoArray(y, u);
                lower.intoArray(y, l);
            }
        }
        if (2 * ty < rows) WinogradTransforms.storeOutput(planes, base, idx, bias, y, dst, accumulate, 2 * ty * ow, rows * ow);
    }

    /** Lanes of the vectors here: what decides which rows, windows and outputs take the vector kernels. */
    static int lanes() {
        return S.length();
    }

    /**
     * The input transform {@code V = Bᵀ d B} of one vector of tiles, lane L's 4x4 window d being
     * {@code d[r][c] = x[base + window[(4 r + c) lanes + L]]}, or 0 where that entry is negative (the
     * padding); {@code V[ξ]} is stored at {@code v[out + ξ xiStride]}, a whole vector. For images so
     * small that a vector holds the tiles of one or several ({@code WinogradConv2d.transformInput}): the
     * row-plane transforms then run on rows of two or four tiles, in scalar code, and took 15-20% of a
     * 512-channel 4x4 Winograd pass (AMD EPYC Zen 4). The same operations in the same order as
     * {@link WinogradTransforms#inputRow} then {@link WinogradTransforms#inputColumns}, so the same bits.
     */
    static void inputWindows(float[] x, int base, int[] window, float[] stage, float[] v, int out, int xiStride) {
        final int vl = S.length(), n = 16 * vl;
        for (int e = 0; e < n; e++) {
            int at = window[e];
            stage[e] = at < 0 ? 0f : x[base + at];
        }
        // · B on each window row r: R[r][j] for the four column combinations j.
        FloatVector x0 = FloatVector.fromArray(S, stage, 0), x1 = FloatVector.fromArray(S, stage, vl);
        FloatVector x2 = FloatVector.fromArray(S, stage, 2 * vl), x3 = FloatVector.fromArray(S, stage, 3 * vl);
        FloatVector r00 = x0.sub(x2), r01 = x1.add(x2), r02 = x2.sub(x1), r03 = x1.sub(x3);
        x0 = FloatVector.fromArray(S, stage, 4 * vl);
        x1 = FloatVector.fromArray(S, stage, 5 * vl);
        x2 = FloatVector.fromArray(S, stage, 6 * vl);
        x3 = FloatVector.fromArray(S, stage, 7 * vl);
        FloatVector r10 = x0.sub(x2), r11 = x1.add(x2), r12 = x2.sub(x1), r13 = x1.sub(x3);
        x0 = FloatVector.fromArray(S, stage, 8 * vl);
        x1 = FloatVector.fromArray(S, stage, 9 * vl);
        x2 = FloatVector.fromArray(S, stage, 10 * vl);
        x3 = FloatVector.fromArray(S, stage, 11 * vl);
        FloatVector r20 = x0.sub(x2), r21 = x1.add(x2), r22 = x2.sub(x1), r23 = x1.sub(x3);
        x0 = FloatVector.fromArray(S, stage, 12 * vl);
        x1 = FloatVector.fromArray(S, stage, 13 * vl);
        x2 = FloatVector.fromArray(S, stage, 14 * vl);
        x3 = FloatVector.fromArray(S, stage, 15 * vl);
        FloatVector r30 = x0.sub(x2), r31 = x1.add(x2), r32 = x2.sub(x1), r33 = x1.sub(x3);
        // Bᵀ · on each column combination j: V[j], V[4 + j], V[8 + j], V[12 + j].
        inputColumn(v, out, xiStride, r00, r10, r20, r30);
        inputColumn(v, out + xiStride, xiStride, r01, r11, r21, r31);
        inputColumn(v, out + 2 * xiStride, xiStride, r02, r12, r22, r32);
        inputColumn(v, out + 3 * xiStride, xiStride, r03, r13, r23, r33);
    }

    private static void inputColumn(float[] v, int o, int xiStride, FloatVector e0, FloatVector e1, FloatVector e2,
                                    FloatVector e3) {
        e0.sub(e2).intoArray(v, o);
        e1.add(e2).intoArray(v, o + 4 * xiStride);
        e2.sub(e1).intoArray(v, o + 8 * xiStride);
        e1.sub(e3).intoArray(v, o + 12 * xiStride);
    }

    /** As {@link WinogradTransforms#storeOutput} for pixels {@code [0, count)}, gathering from the planes. */
    static void storeOutput(float[] planes, int base, int[] idx, float bias, float[] y, int dst, boolean accumulate,
                            int count) {
        final int full = S.loopBound(count), vl = S.length();
        for (int z = 0; z < full; z += vl) {
            FloatVector v = FloatVector.fromArray(S, planes, base, idx, z).add(bias);
            if (accumulate) v = FloatVector.fromArray(S, y, dst + z).add(v);
            v.intoArray(y, dst + z);
        }
        if (full < count) WinogradTransforms.storeOutput(planes, base, idx, bias, y, dst, accumulate, full, count);
    }

    /** As {@link WinogradTransforms#inputColumns} for tiles {@code [0, tiles)}. */
    static void inputColumns(float[] r, int in, int parityStride, int tilesW, float[] v, int out, int xiStride,
                             int tiles) {
        final int full = S.loopBound(tiles), vl = S.length();
        for (int j = 0; j < 4; j++) {
            int even = in + 2 * j * parityStride, odd = even + parityStride, o = out + j * xiStride;
            for (int p = 0; p < full; p += vl) {
                FloatVector e0 = FloatVector.fromArray(S, r, even + p), e1 = FloatVector.fromArray(S, r, odd + p);
                FloatVector e2 = FloatVector.fromArray(S, r, even + p + tilesW);
                FloatVector e3 = FloatVector.fromArray(S, r, odd + p + tilesW);
                e0.sub(e2).intoArray(v, o + p);
                e1.add(e2).intoArray(v, o + 4 * xiStride + p);
                e2.sub(e1).intoArray(v, o + 8 * xiStride + p);
                e1.sub(e3).intoArray(v, o + 12 * xiStride + p);
            }
        }
        if (full < tiles) WinogradTransforms.inputColumns(r, in, parityStride, tilesW, v, out, xiStride, full, tiles);
    }

    /** As {@link WinogradTransforms#outputTiles} for tiles {@code [0, tiles)}. */
    static void outputTiles(float[] m, int in, int xiStride, float[] y, int out, int planeStride, int tiles) {
        final int full = S.loopBound(tiles), vl = S.length();
        for (int p = 0; p < full; p += vl) {
            int b = in + p;
            FloatVector m0 = FloatVector.fromArray(S, m, b), m4 = FloatVector.fromArray(S, m, b + 4 * xiStride);
            FloatVector m8 = FloatVector.fromArray(S, m, b + 8 * xiStride);
            FloatVector m12 = FloatVector.fromArray(S, m, b + 12 * xiStride);
            FloatVector s00 = m0.add(m4).add(m8), s10 = m4.sub(m8).sub(m12);
            FloatVector m1 = FloatVector.fromArray(S, m, b + xiStride), m5 = FloatVector.fromArray(S, m, b + 5 * xiStride);
            FloatVector m9 = FloatVector.fromArray(S, m, b + 9 * xiStride);
            FloatVector m13 = FloatVector.fromArray(S, m, b + 13 * xiStride);
            FloatVector s01 = m1.add(m5).add(m9), s11 = m5.sub(m9).sub(m13);
            FloatVector m2 = FloatVector.fromArray(S, m, b + 2 * xiStride);
            FloatVector m6 = FloatVector.fromArray(S, m, b + 6 * xiStride);
            FloatVector m10 = FloatVector.fromArray(S, m, b + 10 * xiStride);
            FloatVector m14 = FloatVector.fromArray(S, m, b + 14 * xiStride);
            FloatVector s02 = m2.add(m6).add(m10), s12 = m6.sub(m10).sub(m14);
            FloatVector m3 = FloatVector.fromArray(S, m, b + 3 * xiStride);
            FloatVector m7 = FloatVector.fromArray(S, m, b + 7 * xiStride);
            FloatVector m11 = FloatVector.fromArray(S, m, b + 11 * xiStride);
            FloatVector m15 = FloatVector.fromArray(S, m, b + 15 * xiStride);
            FloatVector s03 = m3.add(m7).add(m11), s13 = m7.sub(m11).sub(m15);
            int o = out + p;
            s00.add(s01).add(s02).intoArray(y, o);
            s01.sub(s02).sub(s03).intoArray(y, o + planeStride);
            s10.add(s11).add(s12).intoArray(y, o + 2 * planeStride);
            s11.sub(s12).sub(s13).intoArray(y, o + 3 * planeStride);
        }
        if (full < tiles) WinogradTransforms.outputTiles(m, in, xiStride, y, out, planeStride, full, tiles);
    }

    /** As {@link WinogradTransforms#gradientTiles} for tiles {@code [0, tiles)}. */
    static void gradientTiles(float[] g, int in, int planeStride, float[] v, int out, int xiStride, int tiles) {
        final int full = S.loopBound(tiles), vl = S.length();
        for (int p = 0; p < full; p += vl) {
            int b = in + p, o = out + p;
            FloatVector g00 = FloatVector.fromArray(S, g, b), g01 = FloatVector.fromArray(S, g, b + planeStride);
            FloatVector g10 = FloatVector.fromArray(S, g, b + 2 * planeStride);
            FloatVector g11 = FloatVector.fromArray(S, g, b + 3 * planeStride);
            g00.intoArray(v, o);
            g00.add(g01).intoArray(v, o + xiStride);
            g00.sub(g01).intoArray(v, o + 2 * xiStride);
            g01.neg().intoArray(v, o + 3 * xiStride);
            FloatVector s = g00.add(g10), t = g01.add(g11);
            s.intoArray(v, o + 4 * xiStride);
            s.add(t).intoArray(v, o + 5 * xiStride);
            s.sub(t).intoArray(v, o + 6 * xiStride);
            t.neg().intoArray(v, o + 7 * xiStride);
            s = g00.sub(g10);
            t = g01.sub(g11);
            s.intoArray(v, o + 8 * xiStride);
            s.add(t).intoArray(v, o + 9 * xiStride);
            s.sub(t).intoArray(v, o + 10 * xiStride);
            t.neg().intoArray(v, o + 11 * xiStride);
            s = g10.neg();
            t = g11.neg();
            s.intoArray(v, o + 12 * xiStride);
            s.add(t).intoArray(v, o + 13 * xiStride);
            s.sub(t).intoArray(v, o + 14 * xiStride);
            t.neg().intoArray(v, o + 15 * xiStride);
        }
        if (full < tiles) WinogradTransforms.gradientTiles(g, in, planeStride, v, out, xiStride, full, tiles);
    }
}
