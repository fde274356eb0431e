package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.gemm.RegisterTranspose;

/**
 * Strided matrix transposition in cache tiles, the layout change behind the channels-last and
 * batch-innermost convolution paths ({@link Im2row}, {@link ImplicitGemmConv2d}). On the vector path
 * a whole 16 x 16 tile is transposed in registers ({@link RegisterTranspose}); ragged edge tiles, and
 * every tile on the scalar path, are copied value by value.
 */
final class Transpose {
    private static final int TILE = 16;

    private Transpose() {}

    /** True when whole tiles go through {@link RegisterTranspose} now. */
    private static boolean vectorTiles() {
        return Simd.enabled() && RegisterTranspose.AVAILABLE;
    }

    /** One whole {@link #TILE} x TILE tile in {@link RegisterTranspose#BLOCK}-sized register blocks. */
    private static void vectorTile(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        int b = RegisterTranspose.BLOCK;
        for (int r = 0; r < TILE; r += b) {
            for (int c = 0; c < TILE; c += b) RegisterTranspose.block(src, s + r * lds + c, lds, dst, d + c * ldd + r, ldd);
        }
    }

    /** {@code dst[dOff + c * ldd + r] = src[sOff + r * lds + c]} for {@code rows x cols} values. */
    static void transpose(float[] src, int sOff, int rows, int cols, int lds, float[] dst, int dOff, int ldd) {
        // Tiles of 16 x 16: 16 cache lines read and 16 written, each used 16 times. Measured against
        // this (AMD EPYC Zen 4, 1 thread, weight gradient, batch 128, as Im2row.toChannelsLast): a whole
        // column run per row, which stores one value per line of dst, 6% slower at 32 channels 16x16;
        // a whole row run per column, which reads lines lds floats apart (the same L1 sets once a row is
        // 4 KiB), 10% slower at 64 channels 32x32; 8 or 32 per tile, 3-7% slower.
        final int tile = TILE;
        final boolean vector = vectorTiles();
        for (int c0 = 0; c0 < cols; c0 += tile) {
            int c1 = Math.min(cols, c0 + tile);
            for (int r0 = 0; r0 < rows; r0 += tile) {
                int r1 = Math.min(rows, r0 + tile);
                if (vector && c1 - c0 == tile && r1 - r0 == tile) {
                    vectorTile(src, sOff + r0 * lds + c0, lds, dst, dOff + c0 * ldd + r0, ldd);
                    continue;
                }
                for (int c = c0; c < c1; c++) {
                    int d = dOff + c * ldd;
                    for (int r = r0, s = sOff + r0 * lds + c; r < r1; r++, s += lds) dst[d + r] = src[s];
                }
            }
        }
    }

    /**
     * {@code dst[dOff + c * ldd + r] = src[sOff + r * lds + c]} in 16 x 16 tiles read row by row: for a
     * source whose rows are a power of two apart (an NCHW batch: every image's plane of one channel maps
     * to the same cache sets) and a destination whose rows are not. {@link #transpose} reads down a tile's
     * column instead, sixteen lines that then evict each other from an 8-way L1.
     */
    static void scatter(float[] src, int sOff, int rows, int cols, int lds, float[] dst, int dOff, int ldd) {
        final int tile = TILE;
        final boolean vector = vectorTiles();
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                if (vector && c1 - c0 == tile && r1 - r0 == tile) {
                    vectorTile(src, sOff + r0 * lds + c0, lds, dst, dOff + c0 * ldd + r0, ldd);
                    continue;
                }
                for (int r = r0; r < r1; r++) {
                    int s = sOff + r * lds;
                    for (int c = c0, d = dOff + c0 * ldd + r; c < c1; c++, d += ldd) dst[d] = src[s + c];
                }
            }
        }
    }
}
