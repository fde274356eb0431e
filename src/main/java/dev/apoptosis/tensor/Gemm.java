package dev.apoptosis.tensor;

/**
 * Single-precision general matrix multiply: {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>All matrices are row-major windows of float arrays: element (i, j) of a matrix with leading
 * dimension {@code ld} starting at {@code off} is {@code arr[off + i * ld + j]}. {@code op(A)} is
 * {@code m x k} (A itself is {@code k x m} when {@code transA}), {@code op(B)} is {@code k x n}.
 * The transposition variants are exactly those Linear and convolution backward need:
 * NN (forward), NT (input gradient / weight gradient), TN (weight gradient).
 *
 * <p>PLACEHOLDER implementation (naive); replaced by the blocked Vector API kernel.
 */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        Parallel.forRange(m, 4, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += av * bv;
                    }
                    int ci = cOff + i * ldc + j;
                    c[ci] = alpha * s + (beta == 0f ? 0f : beta * c[ci]);
                }
            }
        });
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
        sgemm(transA, transB, m, n, ka, 1f, a.data(), a.offset(), a.dim(1), b.data(), b.offset(), b.dim(1),
                0f, c.data(), 0, n);
        return c;
    }
}
