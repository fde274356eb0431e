package dev.apoptosis.tensor.gemm;

/**
 * The plain-Java twin of {@link GemmVector}, used when the Vector API is absent or switched off.
 *
 * <p>It favours clarity and accuracy over speed: sums run in double, one C row at a time. When op(B)
 * is row-major in memory (no transB) a row of C is built as a sum of scaled rows of B, so every
 * inner loop is a contiguous sweep the JIT can auto-vectorise; with transB each element is a dot
 * product of two contiguous runs. Each element is summed over k in ascending order on one thread,
 * so the result does not depend on how {@link Gemm} splits C.
 */
final class GemmScalar {
    /** Slab unit for {@link Gemm}'s split; any value gives identical results. */
    static final int TILE = 16;

    private GemmScalar() {}

    /** {@code C = alpha * op(A) * op(B) + beta * C} on the calling thread; arguments already validated. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        double[] acc = new double[n];
        double[] aRow = new double[k];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) aRow[p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            if (transB) {
                for (int j = 0; j < n; j++) {
                    int col = bOff + j * ldb;
                    double s = 0;
                    for (int p = 0; p < k; p++) s += aRow[p] * b[col + p];
                    acc[j] = s;
                }
            } else {
                java.util.Arrays.fill(acc, 0.0);
                for (int p = 0; p < k; p++) {
                    double av = aRow[p];
                    int row = bOff + p * ldb;
                    for (int j = 0; j < n; j++) acc[j] += av * b[row + j];
                }
            }
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                double t = alpha * acc[j];
                c[row + j] = (float) (beta == 0f ? t : t + (double) beta * c[row + j]);
            }
        }
    }
}
