package dev.apoptosis.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of the row transforms of {@link WinogradTransforms}: the same layout (lanes
 * innermost, one lane per image of a group) and the same operations in the same order, a vector of
 * lanes at a time; lanes beyond the last whole vector go to the scalar code.
 */
final class WinogradTransformsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private WinogradTransformsVector() {}

    /** As {@link WinogradTransforms#inputRow}. */
    static void inputRow(float[] d, int base, int rowStride, int tiles, float[] v, int out, int xiStride, int lanes) {
        final int full = S.loopBound(lanes), vl = S.length(), cs = lanes;
        final int r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride;
        for (int t = 0; t < tiles; t++) {
            int tb = base + 2 * t * lanes, to = out + t * lanes;
            for (int l = 0; l < full; l += vl) {
                int b = tb + l, o = to + l;
                // Columns a, b, c, e of d; each gives rows of Bᵀ d as x0 - x2, x1 + x2, x2 - x1, x1 - x3.
                {
                    FloatVector a0 = FloatVector.fromArray(S, d, b), a1 = FloatVector.fromArray(S, d, b + r1);
                    FloatVector a2 = FloatVector.fromArray(S, d, b + r2), a3 = FloatVector.fromArray(S, d, b + r3);
                    FloatVector b0 = FloatVector.fromArray(S, d, b + cs), b1 = FloatVector.fromArray(S, d, b + cs + r1);
                    FloatVector b2 = FloatVector.fromArray(S, d, b + cs + r2), b3 = FloatVector.fromArray(S, d, b + cs + r3);
                    FloatVector c0 = FloatVector.fromArray(S, d, b + 2 * cs), c1 = FloatVector.fromArray(S, d, b + 2 * cs + r1);
                    FloatVector c2 = FloatVector.fromArray(S, d, b + 2 * cs + r2), c3 = FloatVector.fromArray(S, d, b + 2 * cs + r3);
                    FloatVector e0 = FloatVector.fromArray(S, d, b + 3 * cs), e1 = FloatVector.fromArray(S, d, b + 3 * cs + r1);
                    FloatVector e2 = FloatVector.fromArray(S, d, b + 3 * cs + r2), e3 = FloatVector.fromArray(S, d, b + 3 * cs + r3);
                    row(a0.sub(a2), b0.sub(b2), c0.sub(c2), e0.sub(e2), v, o, xiStride, 0);
                    row(a1.add(a2), b1.add(b2), c1.add(c2), e1.add(e2), v, o, xiStride, 4);
                    row(a2.sub(a1), b2.sub(b1), c2.sub(c1), e2.sub(e1), v, o, xiStride, 8);
                    row(a1.sub(a3), b1.sub(b3), c1.sub(c3), e1.sub(e3), v, o, xiStride, 12);
                }
            }
            if (full < lanes) WinogradTransforms.inputTile(d, tb, rowStride, cs, v, to, xiStride, full, lanes);
        }
    }

    /** One row of {@code (Bᵀ d) B}: {@code [e0 - e2, e1 + e2, e2 - e1, e1 - e3]} to positions {@code xi..xi+3}. */
    private static void row(FloatVector e0, FloatVector e1, FloatVector e2, FloatVector e3, float[] v, int o,
                            int xiStride, int xi) {
        e0.sub(e2).intoArray(v, o + xi * xiStride);
        e1.add(e2).intoArray(v, o + (xi + 1) * xiStride);
        e2.sub(e1).intoArray(v, o + (xi + 2) * xiStride);
        e1.sub(e3).intoArray(v, o + (xi + 3) * xiStride);
    }

    /** As {@link WinogradTransforms#outputRow}. */
    static void outputRow(float[] m, int in, int xiStride, int tiles, float[] y, int out, int rowStride, int lanes) {
        final int full = S.loopBound(lanes), vl = S.length(), cs = lanes;
        for (int t = 0; t < tiles; t++) {
            int ti = in + t * lanes, to = out + 2 * t * lanes;
            for (int l = 0; l < full; l += vl) {
                int b = ti + l, o = to + l;
                FloatVector s00, s01, s02, s03, s10, s11, s12, s13;
                {
                    FloatVector m0 = at(m, b, 0, xiStride), m4 = at(m, b, 4, xiStride);
                    FloatVector m8 = at(m, b, 8, xiStride), m12 = at(m, b, 12, xiStride);
                    s00 = m0.add(m4).add(m8);
                    s10 = m4.sub(m8).sub(m12);
                }
                {
                    FloatVector m1 = at(m, b, 1, xiStride), m5 = at(m, b, 5, xiStride);
                    FloatVector m9 = at(m, b, 9, xiStride), m13 = at(m, b, 13, xiStride);
                    s01 = m1.add(m5).add(m9);
                    s11 = m5.sub(m9).sub(m13);
                }
                {
                    FloatVector m2 = at(m, b, 2, xiStride), m6 = at(m, b, 6, xiStride);
                    FloatVector m10 = at(m, b, 10, xiStride), m14 = at(m, b, 14, xiStride);
                    s02 = m2.add(m6).add(m10);
                    s12 = m6.sub(m10).sub(m14);
                }
                {
                    FloatVector m3 = at(m, b, 3, xiStride), m7 = at(m, b, 7, xiStride);
                    FloatVector m11 = at(m, b, 11, xiStride), m15 = at(m, b, 15, xiStride);
                    s03 = m3.add(m7).add(m11);
                    s13 = m7.sub(m11).sub(m15);
                }
                s00.add(s01).add(s02).intoArray(y, o);
                s01.sub(s02).sub(s03).intoArray(y, o + cs);
                s10.add(s11).add(s12).intoArray(y, o + rowStride);
                s11.sub(s12).sub(s13).intoArray(y, o + rowStride + cs);
            }
            if (full < lanes) WinogradTransforms.outputTile(m, ti, xiStride, y, to, rowStride, cs, full, lanes);
        }
    }

    private static FloatVector at(float[] m, int b, int xi, int xiStride) {
        return FloatVector.fromArray(S, m, b + xi * xiStride);
    }

    /** As {@link WinogradTransforms#gradientRow}. */
    static void gradientRow(float[] gy, int in, int rowStride, int tiles, float[] v, int out, int xiStride, int lanes) {
        final int full = S.loopBound(lanes), vl = S.length(), cs = lanes;
        for (int t = 0; t < tiles; t++) {
            int ti = in + 2 * t * lanes, to = out + t * lanes;
            for (int l = 0; l < full; l += vl) {
                int b = ti + l, o = to + l;
                FloatVector g00 = FloatVector.fromArray(S, gy, b), g01 = FloatVector.fromArray(S, gy, b + cs);
                FloatVector g10 = FloatVector.fromArray(S, gy, b + rowStride);
                FloatVector g11 = FloatVector.fromArray(S, gy, b + rowStride + cs);
                gradientRow(g00, g01, v, o, xiStride, 0);
                gradientRow(g00.add(g10), g01.add(g11), v, o, xiStride, 4);
                gradientRow(g00.sub(g10), g01.sub(g11), v, o, xiStride, 8);
                gradientRow(g10.neg(), g11.neg(), v, o, xiStride, 12);
            }
            if (full < lanes) WinogradTransforms.gradientTile(gy, ti, rowStride, cs, v, to, xiStride, full, lanes);
        }
    }

    private static void gradientRow(FloatVector p, FloatVector q, float[] v, int o, int xiStride, int xi) {
        p.intoArray(v, o + xi * xiStride);
        p.add(q).intoArray(v, o + (xi + 1) * xiStride);
        p.sub(q).intoArray(v, o + (xi + 2) * xiStride);
        q.neg().intoArray(v, o + (xi + 3) * xiStride);
    }
}
