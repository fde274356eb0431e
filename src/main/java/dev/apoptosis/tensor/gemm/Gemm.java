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
        int rowTiles = (m + rowUnit - 1) / rowUnit;
        int colTiles = (n + colUnit - 1) / colUnit;
        boolean splitColumns = colTiles >= rowTiles;
        int tiles = splitColumns ? colTiles : rowTiles;
        long workPerTile = (long) k * (splitColumns ? (long) m * colUnit : (long) n * rowUnit);
        int grain = (int) Math.max(1, Math.min(tiles, (PARALLEL_MIN_WORK + workPerTile - 1) / workPerTile));

        Parallel.forRange(tiles, grain, (lo, hi) -> {
            if (splitColumns) {
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
