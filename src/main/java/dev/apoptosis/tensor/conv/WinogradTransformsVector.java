package dev.apoptosis.tensor.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of the tile-plane transforms of {@link WinogradTransforms}: the same layout
 * and the same operations in the same order, a vector of consecutive tiles at a time; tiles beyond
 * the last whole vector go to the scalar code.
 */
final class WinogradTransformsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private WinogradTransformsVector() {}

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
