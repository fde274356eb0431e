package dev.apoptosis.tensor.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link Gemm} for {@code C = alpha * A * B^T + beta * C} when A has few rows:
 * every element of C is a dot product of a row of A with a row of B, both contiguous along k.
 *
 * <p>This is the shape of a weight gradient (output channels x patch size, summed over a long batch
 * of pixels) and of a Linear layer's forward pass. The blocked path would have to transpose all of
 * B into packed panels and could reuse each panel only for the few rows of A, so the copy would
 * cost as much as the arithmetic. Here nothing is packed: a {@link #TILE} x {@link #TILE} kernel
 * streams four rows of A and four rows of B straight from the caller's arrays and keeps sixteen
 * FloatVector accumulators of per-lane partial sums; each step of {@code VL} values of k is eight
 * loads for sixteen fused multiply-adds.
 *
 * <p>k is cut into blocks of at most {@link #KC} (a function of k only). Within a block, lane
 * {@code l} of an accumulator sums the products with {@code p = l (mod VL)} in ascending order; the
 * lanes are then added in a fixed order, the last {@code kc mod VL} products are added one by one,
 * and the block's sum goes into C as in {@link GemmVectorKernel#update}. Tiles that overhang m or n
 * repeat the last row instead of branching, and drop the repeats when storing, so an element's
 * arithmetic never depends on which tile or thread computes it.
 */
public final class GemmVectorDot {
    private static final VectorSpecies<Float> SPECIES = GemmVectorKernel.SPECIES;
    private static final int VL = GemmVectorKernel.VL;
    /** Rows of A and rows of B per kernel call. */
    static final int TILE = 4;
    /** Largest k block: the lane sums are paid once per block, so blocks are long. */
    public static final int KC = 2048;
    /** Rows of B swept per k block: NB x KC floats (512 KiB) stay in L2 while every row of A passes. */
    static final int NB = 64;
    /**
     * When this path wins. Its overhead, the lane sums, costs a fixed ~150 cycles per tile and k
     * block against about k cycles of arithmetic; the blocked path's overhead, transposing B, is
     * shared by the rows of A. Measured on AVX-512 (Zen 4): dot products are 1.2-2.3x faster for
     * m <= 64 with k >= 16 m, and 10-30% slower at m = 128 or at k = 4 m.
     */
    static final int MAX_ROWS = 64;
    static final int MIN_DEPTH_PER_ROW = 16;

    private static final ThreadLocal<float[]> TILES = ThreadLocal.withInitial(() -> new float[TILE * TILE * VL]);

    private GemmVectorDot() {}

    /** True for the NT shapes this path handles better than {@link GemmVector}; decided on the whole problem. */
    static boolean suits(boolean transA, boolean transB, int m, int n, int k) {
        return !transA && transB && m <= MAX_ROWS && k >= MIN_DEPTH_PER_ROW * m && k >= 8 * VL && VL % 4 == 0;
    }

    /** Length of each k block: the fewest blocks of at most {@link #KC}, equal but the last. */
    static int kBlock(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /** {@code C = alpha * A * B^T + beta * C} on the calling thread; A is m x k, B is n x k, validated. */
    static void multiply(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        float[] tile = TILES.get();
        int kcStep = kBlock(k);
        for (int p0 = 0; p0 < k; p0 += kcStep) {
            int kc = Math.min(kcStep, k - p0);
            int kv = kc - kc % VL;
            float betaHere = p0 == 0 ? beta : 1f;
            for (int j0 = 0; j0 < n; j0 += NB) {
                int jEnd = Math.min(n, j0 + NB);
                for (int i = 0; i < m; i += TILE) {
                    int a0 = aOff + i * lda + p0;
                    int a1 = aOff + Math.min(i + 1, m - 1) * lda + p0;
                    int a2 = aOff + Math.min(i + 2, m - 1) * lda + p0;
                    int a3 = aOff + Math.min(i + 3, m - 1) * lda + p0;
                    for (int j = j0; j < jEnd; j += TILE) {
                        int b0 = bOff + j * ldb + p0;
                        int b1 = bOff + Math.min(j + 1, n - 1) * ldb + p0;
                        int b2 = bOff + Math.min(j + 2, n - 1) * ldb + p0;
                        int b3 = bOff + Math.min(j + 3, n - 1) * ldb + p0;
                        kernel(kv, a, a0, a1, a2, a3, b, b0, b1, b2, b3, tile);
                        finish(tile, kv, kc, a, a0, lda, b, b0, ldb, alpha, betaHere, c, cOff + i * ldc + j, ldc,
                                Math.min(TILE, m - i), Math.min(TILE, n - j));
                    }
                }
            }
        }
    }

    /** Sixteen dot products over the first {@code kv} (a multiple of VL) values of four A rows and four B rows. */
    private static void kernel(int kv, float[] a, int a0, int a1, int a2, int a3,
                               float[] b, int b0, int b1, int b2, int b3, float[] tile) {
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00,
                s13 = s00, s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        for (int p = 0; p < kv; p += VL) {
            FloatVector y0 = FloatVector.fromArray(SPECIES, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(SPECIES, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(SPECIES, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(SPECIES, b, b3 + p);
            FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(SPECIES, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(SPECIES, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(SPECIES, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            s33 = x.fma(y3, s33);
        }
        s00.intoArray(tile, 0);
        s01.intoArray(tile, VL);
        s02.intoArray(tile, 2 * VL);
        s03.intoArray(tile, 3 * VL);
        s10.intoArray(tile, 4 * VL);
        s11.intoArray(tile, 5 * VL);
        s12.intoArray(tile, 6 * VL);
        s13.intoArray(tile, 7 * VL);
        s20.intoArray(tile, 8 * VL);
        s21.intoArray(tile, 9 * VL);
        s22.intoArray(tile, 10 * VL);
        s23.intoArray(tile, 11 * VL);
        s30.intoArray(tile, 12 * VL);
        s31.intoArray(tile, 13 * VL);
        s32.intoArray(tile, 14 * VL);
        s33.intoArray(tile, 15 * VL);
    }

    /**
     * Completes the valid {@code rows x cols} dot products of a tile (lane sums, then the products
     * past {@code kv}) and folds them into C; rows and columns of A and B are {@code lda}/{@code ldb} apart.
     */
    private static void finish(float[] tile, int kv, int kc, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                               float alpha, float beta, float[] c, int ci, int ldc, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                int o = (r * TILE + q) * VL;
                float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f;
                for (int l = 0; l < VL; l += 4) {
                    l0 += tile[o + l];
                    l1 += tile[o + l + 1];
                    l2 += tile[o + l + 2];
                    l3 += tile[o + l + 3];
                }
                float s = (l0 + l1) + (l2 + l3);
                int ar = a0 + r * lda, br = b0 + q * ldb;
                for (int p = kv; p < kc; p++) s = Math.fma(a[ar + p], b[br + p], s);
                float t = s * alpha;
                int x = ci + r * ldc + q;
                c[x] = beta == 0f ? t : Math.fma(c[x], beta, t);
            }
        }
    }
}
