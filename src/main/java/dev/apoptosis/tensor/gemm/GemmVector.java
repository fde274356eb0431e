package dev.apoptosis.tensor.gemm;

import static dev.apoptosis.tensor.gemm.GemmVectorKernel.MR;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.NR;

import dev.apoptosis.tensor.CacheSizes;

/**
 * The Vector API path of {@link Gemm}: a cache-blocked loop nest around {@link GemmVectorKernel}.
 *
 * <p>The loops follow the GotoBLAS/BLIS scheme, shaped for a core with a 32 KiB L1 and a 1 MiB L2
 * (NC follows the L2 actually read, {@link CacheSizes}):
 * <ol>
 *   <li>k is cut into {@link #kBlock equal blocks} of at most {@link #KC} steps; each block's partial
 *       product is added to C, so the first block applies beta and later blocks add;</li>
 *   <li>rows of op(A) are taken {@link #MC} at a time and packed once per k block;</li>
 *   <li>columns of op(B) are taken {@link #NC} at a time and packed (KC x NC floats, half of L2),
 *       except when m is small and B is not transposed ({@link #STREAM_B_MAX_ROWS},
 *       {@link #STREAM_B_WIDE_MAX_ROWS});</li>
 *   <li>for each MR-row A micro-panel the kernel sweeps the NR-column B micro-panels of the packed
 *       block; both stream sequentially from L2, which the hardware prefetchers keep ahead of. A
 *       ragged last panel of at most 4 or 2 rows runs a kernel of that many rows.</li>
 * </ol>
 * The k-blocking depends on k alone, and each C element is accumulated by one fused multiply-add per
 * k step in ascending order, so the caller may split C between threads freely.
 *
 * <p>Long k blocks matter more here than L1 residency: each block costs a read and write of all of
 * C, which for large products comes from L3. Measured on Zen 4, one core: the kernel alone runs at
 * ~114 GFLOP/s (97% of the FMA peak) and 1024^3 reaches ~100-105 with KC = 1024 and NC = 128,
 * 3-5% more than the textbook KC = 256 and NC = 256, and no slower on the other shapes tried.
 *
 * <p>Packing buffers are per thread and reused, so steady-state calls allocate nothing.
 */
final class GemmVector {
    /** Largest k block. */
    static final int KC = 1024;
    /** Rows of op(A) packed at a time (a multiple of MR); A is packed once per k block up to this size. */
    static final int MC = 1024;
    /**
     * Columns of op(B) packed at a time (a multiple of NR): a KC x NC block fills half of this core's
     * L2 ({@link CacheSizes}): 128 columns (512 KiB) on a Zen 4 core's 1 MiB, 256 on a Xeon's 2 MiB.
     * Blocking only: the sums are formed in the same order whatever NC is.
     */
    static final int NC = columnsForL2(CacheSizes.get().l2Bytes());

    /**
     * With at most this many rows (two micro-panels), op(B) = B is not packed: the kernel reads its
     * rows in place, so B crosses the memory hierarchy at most twice instead of being copied first.
     * This is the forward convolution of a 16-channel layer (16 x HW x 144): 15-25% faster. With
     * more row panels, B must be re-read from cache many times, and when its rows are a large power
     * of two apart they collide in the same cache sets, so packing wins there.
     */
    static final int STREAM_B_MAX_ROWS = 2 * MR;

    /**
     * B is also streamed with up to this many rows (eight micro-panels) when its rows are at most
     * {@link #STREAM_B_MAX_LD} floats apart: then the kc rows of a block spread over enough cache
     * sets that re-reading them per row panel is cheaper than the copy. These are the convolution
     * GEMMs of 32 and 64 channels (32-64 x 256 x 288-576, B = patch matrix or patch rows): 10-15%
     * faster on one core, and 8-10% for 32-64 x 1024 x 1024. With rows 2048+ floats apart
     * (64 x 2048 x 2048) streaming is 10-30% slower, so those keep packing.
     */
    static final int STREAM_B_WIDE_MAX_ROWS = 8 * MR;
    /** Largest leading dimension of B for which {@link #STREAM_B_WIDE_MAX_ROWS} applies. */
    static final int STREAM_B_MAX_LD = 1024;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private GemmVector() {}

    /** NC for an L2 of {@code l2Bytes}: half of it for a KC-row block of B, in whole micro-panels, 1 to 16 of them. */
    static int columnsForL2(int l2Bytes) {
        int columns = l2Bytes / 2 / (KC * Float.BYTES);
        return Math.max(NR, Math.min(16 * NR, columns / NR * NR));
    }

    static int tileRows() {
        return MR;
    }

    static int tileCols() {
        return NR;
    }

    /** Per-thread packing buffers, grown on demand and kept. */
    private static final class Workspace {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] b(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }
    }

    /**
     * Length of each k block: k split into the fewest blocks of at most {@link #KC}, of equal length
     * but the last. A function of k only, so every thread and slab blocks k identically.
     */
    static int kBlock(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /** {@code C = alpha * op(A) * op(B) + beta * C} on the calling thread; arguments already validated. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, NC);
    }

    /** {@link #multiply} with {@code ncBlock} columns of B packed at a time (tests: another machine's blocking). */
    static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc, int ncBlock) {
        Workspace w = WORKSPACE.get();
        int kcStep = kBlock(k);
        for (int p0 = 0; p0 < k; p0 += kcStep) {
            int kc = Math.min(kcStep, k - p0);
            float betaHere = p0 == 0 ? beta : 1f;
            for (int i0 = 0; i0 < m; i0 += MC) {
                int mc = Math.min(MC, m - i0);
                float[] ap = w.a(roundUp(mc, MR) * kc);
                GemmVectorPacking.packA(transA, a, aOff, lda, i0, mc, p0, kc, ap);
                multiplyPacked(w, mc, n, kc, p0, alpha, ap, 0, transB, b, bOff, ldb, betaHere, c, cOff + i0 * ldc, ldc,
                        ncBlock);
            }
        }
    }

    /** True when {@link #multiplyPackedA} can take an m x k left operand: one block of each. */
    static boolean fitsOneBlock(int m, int k) {
        return k <= KC && m <= MC;
    }

    /** Floats of op(A) packed whole (m x k, {@link #fitsOneBlock}): micro-panels of MR rows. */
    static int packedSize(int m, int k) {
        return roundUp(m, MR) * k;
    }

    /**
     * {@code C = alpha * A * B + beta * C} with A ({@code m x k}, {@link #fitsOneBlock}) packed by
     * {@link GemmVectorPacking#packA} at {@code ap[apOff]}: what {@link #multiply} does after packing
     * A, so the same bits.
     */
    static void multiplyPackedA(int m, int n, int k, float alpha, float[] ap, int apOff,
                                float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        multiplyPacked(WORKSPACE.get(), m, n, k, 0, alpha, ap, apOff, false, b, bOff, ldb, beta, c, cOff, ldc, NC);
    }

    /** One k block ({@code [p0, p0 + kc)}) of C's rows {@code [0, mc)} at {@code cOff}, with A packed at {@code ap[apOff]}. */
    private static void multiplyPacked(Workspace w, int mc, int n, int kc, int p0, float alpha, float[] ap, int apOff,
                                       boolean transB, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                                       int ldc, int ncBlock) {
        float[] tile = w.tile;
        boolean streamB = !transB
                && (mc <= STREAM_B_MAX_ROWS || (mc <= STREAM_B_WIDE_MAX_ROWS && ldb <= STREAM_B_MAX_LD));
        for (int j0 = 0; j0 < n; j0 += ncBlock) {
            int nc = Math.min(ncBlock, n - j0);
            float[] bp = w.b(roundUp(nc, NR) * kc);
            // Streamed B is read in place; only a ragged last panel needs the zero padding of a copy.
            int inPlace = streamB ? nc - nc % NR : 0;
            GemmVectorPacking.packB(transB, b, bOff, ldb, p0, kc, j0 + inPlace, nc - inPlace, bp);
            int bRow = streamB ? bOff + p0 * ldb + j0 : 0;
            for (int i = 0; i < mc; i += MR) {
                int rows = Math.min(MR, mc - i);
                int ci = cOff + i * ldc + j0, ai = apOff + i * kc;
                for (int j = 0; j < nc; j += NR) {
                    float[] bSrc = j < inPlace ? b : bp;
                    int bi = j < inPlace ? bRow + j : (j - inPlace) * kc, bStride = j < inPlace ? ldb : NR;
                    int cols = Math.min(NR, nc - j);
                    if (rows == MR && cols == NR && beta == 0f) {
                        // A full tile goes straight into C: no round trip through the tile buffer.
                        // Not when adding to C: a kernel finishing both ways ran the 128-channel Winograd
                        // weight gradient (beta 1 over its chunks) at half speed in a JVM running every
                        // `bench kernels --vgg` case (70 against 129 GFLOP/s, reproduced).
                        GemmVectorKernel.multiply(kc, ap, ai, bSrc, bi, bStride, c, ci + j, ldc, alpha);
                    } else {
                        GemmVectorKernel.multiplyRows(rows, kc, ap, ai, bSrc, bi, bStride, tile);
                        GemmVectorKernel.update(tile, c, ci + j, ldc, alpha, beta, rows, cols);
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
