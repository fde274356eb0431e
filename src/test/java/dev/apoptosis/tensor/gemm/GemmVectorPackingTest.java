package dev.apoptosis.tensor.gemm;

import static dev.apoptosis.tensor.gemm.GemmVectorKernel.MR;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.NR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.apoptosis.tensor.Simd;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmVectorPacking#packA}'s layout against its definition: panel i, step p, lane r holds
 * op(A)[i0 + i MR + r][p0 + p], zero past the last row. Whole panels of A stored m x k go through
 * registers ({@link RegisterTranspose#eightRows}) a vector length of k at a time, the rest value by value;
 * likewise packed B's panels of NR columns.
 */
class GemmVectorPackingTest {
    @Test
    void packedAFollowsItsDefinition() {
        Assumptions.assumeTrue(Simd.available(), "no Vector API in this JVM");
        Random rng = new Random(5);
        for (boolean transA : new boolean[] {false, true}) {
            for (int mc : new int[] {8, 16, 13, 5, 24}) {
                for (int kc : new int[] {1, 7, 8, 16, 17, 33, 64, 100}) {
                    int i0 = 3, p0 = 2, m = i0 + mc + 1, k = p0 + kc + 4, aOff = 9;
                    int lda = transA ? m + 2 : k + 3;
                    float[] a = new float[aOff + (transA ? k : m) * lda];
                    for (int q = 0; q < a.length; q++) a[q] = rng.nextFloat();
                    int panels = (mc + MR - 1) / MR, apOff = 4;
                    float[] want = new float[apOff + panels * MR * kc + 3];
                    java.util.Arrays.fill(want, -1f);
                    float[] got = want.clone();
                    for (int i = 0; i < panels * MR; i++) {
                        for (int p = 0; p < kc; p++) {
                            int row = i0 + i, col = p0 + p;
                            float v = i >= mc ? 0f : transA ? a[aOff + col * lda + row] : a[aOff + row * lda + col];
                            want[apOff + (i / MR) * MR * kc + p * MR + i % MR] = v;
                        }
                    }
                    GemmVectorPacking.packA(transA, a, aOff, lda, i0, mc, p0, kc, got, apOff);
                    assertArrayEquals(want, got, "transA=" + transA + " mc=" + mc + " kc=" + kc);
                }
            }
        }
    }

    /** Packed B: panel j, step p, lane c holds op(B)[p0 + p][j0 + j NR + c], zero past the last column. */
    @Test
    void packedBFollowsItsDefinition() {
        Assumptions.assumeTrue(Simd.available(), "no Vector API in this JVM");
        Random rng = new Random(6);
        for (boolean transB : new boolean[] {false, true}) {
            for (int nc : new int[] {NR, 2 * NR, NR + 5, 7, 3 * NR - 1}) {
                for (int kc : new int[] {1, 7, 8, 16, 17, 33, 64, 100}) {
                    int j0 = 3, p0 = 2, n = j0 + nc + 1, k = p0 + kc + 4, bOff = 9;
                    int ldb = transB ? k + 3 : n + 2;
                    float[] b = new float[bOff + (transB ? n : k) * ldb];
                    for (int q = 0; q < b.length; q++) b[q] = rng.nextFloat();
                    int panels = (nc + NR - 1) / NR;
                    float[] want = new float[panels * NR * kc + 3];
                    java.util.Arrays.fill(want, -1f);
                    float[] got = want.clone();
                    for (int j = 0; j < panels * NR; j++) {
                        for (int p = 0; p < kc; p++) {
                            int row = p0 + p, col = j0 + j;
                            float v = j >= nc ? 0f : transB ? b[bOff + col * ldb + row] : b[bOff + row * ldb + col];
                            want[(j / NR) * NR * kc + p * NR + j % NR] = v;
                        }
                    }
                    GemmVectorPacking.packB(transB, b, bOff, ldb, p0, kc, j0, nc, got);
                    assertArrayEquals(want, got, "transB=" + transB + " nc=" + nc + " kc=" + kc);
                }
            }
        }
    }
}
