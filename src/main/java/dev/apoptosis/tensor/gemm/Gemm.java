package dev.apoptosis.tensor.gemm;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;

/**
 * Single-precision general matrix multiply: {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>All matrices are row-major windows of float arrays: element (i, j) of a matrix with leading
 * dimension {@code ld} starting at {@code off} is {@code arr[off + i * ld + j]}. {@code op(A)} is
 * {@code m x k} (A itself is {@code k x m} when {@code transA}), {@code op(B)} is {@code k x n}.
 * All four transposition variants are supported. Training uses three: a convolution lowered by
 * im2col runs NN forward, TN for the input gradient and NT for the weight gradient; a Linear layer
 * runs NT forward, NN for the input gradient and TN for the weight gradient.
 *
 * <p>Semantics follow BLAS: {@code beta == 0} overwrites C without reading it (NaN in C does not
 * propagate), and when {@code alpha == 0} or {@code k == 0} A and B are not read.
 *
 * <p><b>Work split.</b> C is cut into slabs of whole register tiles, by columns when op(B) is the
 * wider operand and by rows otherwise, and each thread of {@link Parallel} computes its slabs with
 * one sequential path, chosen for the whole call: {@link GemmVector} (cache-blocked, Vector API),
 * {@link GemmVectorDot} (NT with few rows of A, Vector API) or {@link GemmScalar} (plain loops) when
 * {@link Simd#enabled()} is false. Every element of C is produced by the same sequence of operations
 * whatever the slab it lands in, so results are bit-identical for any thread count.
 */
public final class Gemm {
    /** Below this many multiply-adds a call runs on one thread: a fork would cost more than it saves. */
    private static final long PARALLEL_MIN_WORK = 1L << 19;

    private Gemm() {}

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} on row-major windows (see the class comment).
     *
     * @throws IllegalArgumentException if a size is negative, a leading dimension is shorter than its
     *     row, or a window does not fit in its array
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: negative size m=" + m + ", n=" + n + ", k=" + k);
        }
        requireWindow("C", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) return;
        if (alpha == 0f || k == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        requireWindow(transA ? "A^T" : "A", a, aOff, lda, transA ? k : m, transA ? m : k);
        requireWindow(transB ? "B^T" : "B", b, bOff, ldb, transB ? n : k, transB ? k : n);

        boolean vector = Simd.enabled();
        // Chosen on the whole problem, never per slab, so every thread count runs the same arithmetic.
        Path path = !vector ? Path.SCALAR
                : GemmVectorDot.suits(transA, transB, m, n, k) ? Path.DOT_PRODUCTS : Path.BLOCKED;
        // Slabs are whole tiles of the path, so a tile never straddles two threads.
        int rowUnit = switch (path) {
            case BLOCKED -> GemmVector.tileRows();
            case DOT_PRODUCTS -> GemmVectorDot.TILE;
            case SCALAR -> GemmScalar.TILE;
        };
        int colUnit = switch (path) {
            case BLOCKED -> GemmVector.tileCols();
            case DOT_PRODUCTS -> GemmVectorDot.TILE;
            case SCALAR -> GemmScalar.TILE;
        };
        Split split = Split.of(m, n, k, rowUnit, colUnit);
        Parallel.forRange(split.tiles(), split.grain(), (lo, hi) -> {
            if (split.columns()) {
                int j0 = lo * colUnit, j1 = Math.min(n, hi * colUnit);
                int bSlab = bOff + (transB ? j0 * ldb : j0);
                block(path, transA, transB, m, j1 - j0, k, alpha, a, aOff, lda, b, bSlab, ldb, beta, c, cOff + j0, ldc);
            } else {
                int i0 = lo * rowUnit, i1 = Math.min(m, hi * rowUnit);
                int aSlab = aOff + (transA ? i0 : i0 * lda);
                block(path, transA, transB, i1 - i0, n, k, alpha, a, aSlab, lda, b, bOff, ldb, beta, c, cOff + i0 * ldc, ldc);
            }
        });
    }

    /**
     * Length of the k blocks in which the Vector API path sums an NN product of depth {@code k}: each
     * block's sum starts from zero and is then added to C. A kernel that must reproduce
     * {@link #sgemm}'s bits (the implicit-GEMM convolution) sums in the same blocks.
     */
    public static int kBlock(int k) {
        return GemmVector.kBlock(k);
    }

    /**
     * Floats {@link #packA} writes for an {@code m x k} left operand, or 0 where products with it
     * would not run the packed kernel (no Vector API, an empty operand, or m or k beyond one cache
     * block): multiply with {@link #sgemm} there.
     *
     * <p>Packing once pays where one A meets many B: Winograd's 16 filter matrices meet every chunk
     * of a batch's tiles, and {@link #sgemm} would copy each of them into its packed layout again
     * for every chunk.
     */
    public static int packedASize(int m, int k) {
        return Simd.enabled() && m > 0 && k > 0 && GemmVector.fitsOneBlock(m, k) ? GemmVector.packedSize(m, k) : 0;
    }

    /**
     * Packs A ({@code m x k}, row-major, leading dimension {@code lda}) into
     * {@code packed[packedOff ..]} for {@link #sgemmPackedA}; {@link #packedASize} must be positive.
     */
    public static void packA(int m, int k, float[] a, int aOff, int lda, float[] packed, int packedOff) {
        int size = packedASize(m, k);
        if (size == 0) throw new IllegalArgumentException("sgemm: a " + m + " x " + k + " operand is not packed here");
        requireWindow("A", a, aOff, lda, m, k);
        requireWindow("packed A", packed, packedOff, size, 1, size);
        GemmVectorPacking.packA(false, a, aOff, lda, 0, m, 0, k, packed, packedOff);
    }

    /**
     * {@code C = alpha * A * B + beta * C} with A ({@code m x k}) as {@link #packA} left it at
     * {@code packed[packedOff]}: the same work split and arithmetic as
     * {@link #sgemm sgemm(false, false, ...)} on that A, so the same bits, without packing A again.
     */
    public static void sgemmPackedA(int m, int n, int k, float alpha, float[] packed, int packedOff,
                                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (n < 0) throw new IllegalArgumentException("sgemm: negative size n=" + n);
        int size = packedASize(m, k);
        if (size == 0) throw new IllegalArgumentException("sgemm: a " + m + " x " + k + " operand is not packed here");
        requireWindow("packed A", packed, packedOff, size, 1, size);
        requireWindow("B", b, bOff, ldb, k, n);
        requireWindow("C", c, cOff, ldc, m, n);
        if (n == 0) return;
        if (alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        // sgemm's split for the BLOCKED path (NN never takes the dot-product path).
        int rowUnit = GemmVector.tileRows(), colUnit = GemmVector.tileCols();
        Split split = Split.of(m, n, k, rowUnit, colUnit);
        Parallel.forRange(split.tiles(), split.grain(), (lo, hi) -> {
            if (split.columns()) {
                int j0 = lo * colUnit, j1 = Math.min(n, hi * colUnit);
                GemmVector.multiplyPackedA(m, j1 - j0, k, alpha, packed, packedOff, b, bOff + j0, ldb, beta, c,
                        cOff + j0, ldc);
            } else {
                int i0 = lo * rowUnit, i1 = Math.min(m, hi * rowUnit);
                GemmVector.multiplyPackedA(i1 - i0, n, k, alpha, packed, packedOff + i0 * k, b, bOff, ldb, beta,
                        c, cOff + i0 * ldc, ldc);
            }
        });
    }

    /**
     * How C is cut into slabs of whole {@code rowUnit x colUnit} tiles: by columns when op(B) has at
     * least as many tile columns as op(A) has tile rows, else by rows; at least
     * {@link #PARALLEL_MIN_WORK} multiply-adds per slab.
     */
    private record Split(boolean columns, int tiles, int grain) {
        static Split of(int m, int n, int k, int rowUnit, int colUnit) {
            int rowTiles = (m + rowUnit - 1) / rowUnit;
            int colTiles = (n + colUnit - 1) / colUnit;
            boolean columns = colTiles >= rowTiles;
            int tiles = columns ? colTiles : rowTiles;
            long workPerTile = (long) k * (columns ? (long) m * colUnit : (long) n * rowUnit);
            int grain = (int) Math.max(1, Math.min(tiles, (PARALLEL_MIN_WORK + workPerTile - 1) / workPerTile));
            return new Split(columns, tiles, grain);
        }
    }

    /** The sequential kernels a slab can run; see the class comment of each. */
    private enum Path { SCALAR, BLOCKED, DOT_PRODUCTS }

    private static void block(Path path, boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        switch (path) {
            case BLOCKED -> GemmVector.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c,
                    cOff, ldc);
            case DOT_PRODUCTS -> GemmVectorDot.multiply(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case SCALAR -> GemmScalar.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c,
                    cOff, ldc);
        }
    }

    /** C = beta * C, writing zeros (not reading C) when beta is 0. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else if (beta != 1f) {
                for (int j = row; j < row + n; j++) c[j] *= beta;
            }
        }
    }

    /** Throws unless a {@code rows x cols} row-major window with leading dimension {@code ld} fits in {@code arr}. */
    private static void requireWindow(String what, float[] arr, int off, int ld, int rows, int cols) {
        if (arr == null) throw new IllegalArgumentException("sgemm: " + what + " is null");
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("sgemm: leading dimension of " + what + " is " + ld + ", less than its "
                    + cols + " columns");
        }
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > arr.length) {
            throw new IllegalArgumentException("sgemm: " + what + " (" + rows + " x " + cols + ", ld " + ld
                    + ", offset " + off + ") does not fit in an array of " + arr.length);
        }
    }

    /** {@code op(a) x op(b)} for rank-2 tensors; throws naming both shapes if inner sizes differ. */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        Shapes.requireRank("matmul", "A", a, 2);
        Shapes.requireRank("matmul", "B", b, 2);
        int m = transA ? a.dim(1) : a.dim(0);
        int ka = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner sizes differ, A" + Shapes.str(a.shape())
                    + (transA ? "^T" : "") + " x B" + Shapes.str(b.shape()) + (transB ? "^T" : ""));
        }
        Tensor c = Tensor.zeros(m, n);
        sgemm(transA, transB, m, n, ka, 1f, a.data(), a.offset(), Math.max(1, a.dim(1)), b.data(), b.offset(),
                Math.max(1, b.dim(1)), 0f, c.data(), 0, Math.max(1, n));
        return c;
    }
}
