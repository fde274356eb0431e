package dev.apoptosis.tensor.gemm;

import static dev.apoptosis.tensor.gemm.GemmVectorKernel.MR;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.NR;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.SPECIES;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.VL;

import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of op(A) and op(B) into the layouts {@link GemmVectorKernel} streams through.
 *
 * <p>Packed A is a sequence of micro-panels of {@link GemmVectorKernel#MR} rows; each holds, for
 * k ascending, the MR values of one column of the panel. Packed B is a sequence of micro-panels of
 * {@link GemmVectorKernel#NR} columns; each holds, for k ascending, NR consecutive values of one row.
 * So the kernel reads both operands strictly sequentially whatever the transposition or leading
 * dimension of the caller's arrays, and transposition costs nothing beyond the copy. Rows and
 * columns past the edge of the block are zero-filled, which lets edge tiles run the full kernel.
 */
public final class GemmVectorPacking {
    private GemmVectorPacking() {}

    /** Packs rows {@code [i0, i0 + mc)} and k range {@code [p0, p0 + kc)} of op(A) into {@code ap}. */
    public static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] ap) {
        packA(transA, a, aOff, lda, i0, mc, p0, kc, ap, 0);
    }

    /** {@link #packA} into {@code ap} from {@code apOff}. */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] ap, int apOff) {
        for (int i = 0; i < mc; i += MR) {
            int rows = Math.min(MR, mc - i);
            int panel = apOff + i * kc;
            if (transA) {
                // A is stored k x m: each k step is MR contiguous values.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + i;
                    int dst = panel + p * MR;
                    for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r];
                    for (int r = rows; r < MR; r++) ap[dst + r] = 0f;
                }
            } else {
                // A is stored m x k. A whole panel goes VL columns at a time through registers (eight
                // rows in, VL / 8 packed columns per vector out); what remains is scattered value by
                // value, each row read sequentially into its lane of the panel.
                int p = 0;
                if (rows == MR && RegisterTranspose.AVAILABLE) {
                    int src = aOff + (i0 + i) * lda + p0;
                    for (; p + VL <= kc; p += VL) RegisterTranspose.eightRows(a, src + p, lda, ap, panel + p * MR, VL);
                }
                for (int r = 0; r < MR; r++) {
                    int dst = panel + r;
                    if (r < rows) {
                        int src = aOff + (i0 + i + r) * lda + p0;
                        for (int q = p; q < kc; q++) ap[dst + q * MR] = a[src + q];
                    } else {
                        for (int q = p; q < kc; q++) ap[dst + q * MR] = 0f;
                    }
                }
            }
        }
    }

    /** Packs k range {@code [p0, p0 + kc)} and columns {@code [j0, j0 + nc)} of op(B) into {@code bp}. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] bp) {
        if (transB) {
            packBTransposed(b, bOff, ldb, p0, kc, j0, nc, bp);
            return;
        }
        int fullCols = nc - nc % NR;
        // B is stored k x n: walk each row once, left to right, so the source streams sequentially.
        for (int p = 0; p < kc; p++) {
            int src = bOff + (p0 + p) * ldb + j0;
            int dst = p * NR;
            for (int j = 0; j < fullCols; j += NR) {
                int d = j * kc + dst;
                FloatVector.fromArray(SPECIES, b, src + j).intoArray(bp, d);
                FloatVector.fromArray(SPECIES, b, src + j + VL).intoArray(bp, d + VL);
            }
            if (fullCols < nc) {
                int d = fullCols * kc + dst;
                int cols = nc - fullCols;
                for (int j = 0; j < cols; j++) bp[d + j] = b[src + fullCols + j];
                for (int j = cols; j < NR; j++) bp[d + j] = 0f;
            }
        }
    }

    /** B is stored n x k: each column of op(B) is a contiguous run of the source. */
    private static void packBTransposed(float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] bp) {
        for (int j = 0; j < nc; j += NR) {
            int cols = Math.min(NR, nc - j);
            int panel = j * kc;
            // A whole panel goes through registers in square blocks of the vector length; the k steps
            // left over (and ragged panels) are copied value by value.
            int p = 0;
            if (cols == NR && RegisterTranspose.AVAILABLE) {
                int src = bOff + (j0 + j) * ldb + p0;
                for (; p + VL <= kc; p += VL) {
                    RegisterTranspose.block(b, src + p, ldb, bp, panel + p * NR, NR);
                    RegisterTranspose.block(b, src + VL * ldb + p, ldb, bp, panel + p * NR + VL, NR);
                }
            }
            for (int jj = 0; jj < NR; jj++) {
                int dst = panel + jj;
                if (jj < cols) {
                    int src = bOff + (j0 + j + jj) * ldb + p0;
                    for (int q = p; q < kc; q++) bp[dst + q * NR] = b[src + q];
                } else {
                    for (int q = p; q < kc; q++) bp[dst + q * NR] = 0f;
                }
            }
        }
    }
}
