package dev.apoptosis.tensor.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Gemm#sgemm} against a plain triple loop summed in double, for both the Vector API and the
 * scalar path, over all four transposition variants, awkward sizes, offsets, padded leading
 * dimensions and the BLAS alpha/beta rules; plus thread-count determinism and matmul's checks.
 */
class GemmTest {
    private int savedThreads;

    @BeforeEach
    void save() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
        Simd.setForceScalar(false);
    }

    /** One sgemm problem laid out in arrays with offsets and padded leading dimensions. */
    private static final class Problem {
        final boolean transA, transB;
        final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        final float alpha, beta;
        final float[] a, b, c;

        Problem(Random rng, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                int pad, boolean nanC) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            aOff = pad * 3;
            bOff = pad * 5;
            cOff = pad * 7;
            lda = aCols + pad;
            ldb = bCols + pad;
            ldc = n + pad;
            a = filled(rng, aOff + aRows * lda + pad, false);
            b = filled(rng, bOff + bRows * ldb + pad, false);
            c = filled(rng, cOff + m * ldc + pad, nanC);
        }

        private static float[] filled(Random rng, int size, boolean nan) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) x[i] = nan ? Float.NaN : rng.nextFloat() * 2f - 1f;
            return x;
        }

        float opA(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float opB(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** Runs sgemm on a copy of C and returns that copy. */
        float[] run() {
            float[] out = c.clone();
            Gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        /** Checks the C window against the double reference and every element outside it against the input. */
        void check(String what, float[] out) {
            double[] expected = new double[m * n];
            float[] window = new float[m * n];
            double tolerance = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, abs = 0;
                    for (int p = 0; p < k; p++) {
                        double t = (double) opA(i, p) * opB(p, j);
                        s += t;
                        abs += Math.abs(t);
                    }
                    double old = beta == 0f ? 0 : (double) beta * c[cOff + i * ldc + j];
                    expected[i * n + j] = alpha * s + old;
                    window[i * n + j] = out[cOff + i * ldc + j];
                    tolerance = Math.max(tolerance, Math.abs(alpha) * abs + Math.abs(old));
                }
            }
            // float32 accumulation: error grows at most like k * eps * sum |terms|; this bound is loose
            // enough for blocked sums yet far below the size of any indexing or transposition mistake.
            double atol = 1e-6 * (k + 4) * Math.max(1.0, tolerance / Math.max(1, k)) + 1e-6;
            Assertions2.assertClose(what, expected, window, 0, 1e-5, atol);
            for (int i = 0; i < out.length; i++) {
                int rel = i - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(c[i])) {
                    throw new AssertionError(what + ": wrote outside the C window at index " + i);
                }
            }
        }

        @Override
        public String toString() {
            return (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                    + " beta=" + beta + " offsets=" + aOff + "/" + bOff + "/" + cOff + " ld=" + lda + "/" + ldb + "/" + ldc;
        }
    }

    static Stream<Arguments> shapes() {
        int[][] mnk = {
            {1, 1, 1}, {1, 17, 5}, {7, 1, 13}, {13, 31, 1}, {7, 13, 31}, {31, 97, 13}, {97, 131, 7},
            {8, 32, 16}, {16, 64, 256}, {9, 33, 257}, {3, 7, 300}, {20, 40, 1100}, {4, 9, 2100}, {15, 47, 129}, {33, 65, 600}, {300, 257, 129},
            {2, 40, 50}, {6, 33, 70}, {10, 70, 1030}, {11, 256, 144}, {19, 64, 288},
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : mnk) {
            for (int variant = 0; variant < 4; variant++) {
                out.add(Arguments.of(variant, s[0], s[1], s[2]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "vector={0} variant={1} {2}x{3}x{4}")
    @MethodSource("shapesBothPaths")
    void matchesReference(boolean vector, int variant, int m, int n, int k) {
        Simd.setForceScalar(!vector);
        Random rng = new Random(31L * m + 7L * n + k + variant);
        boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0;
        float[][] alphaBeta = {{1f, 0f}, {-0.75f, 0.5f}, {2f, 1f}};
        for (float[] ab : alphaBeta) {
            for (int pad : new int[] {0, 3}) {
                Problem pr = new Problem(rng, transA, transB, m, n, k, ab[0], ab[1], pad, false);
                pr.check((vector ? "vector " : "scalar ") + pr, pr.run());
            }
        }
    }

    static Stream<Arguments> shapesBothPaths() {
        return shapes().flatMap(a -> Stream.of(true, false).map(v -> {
            Object[] x = a.get();
            return Arguments.of(v, x[0], x[1], x[2], x[3]);
        }));
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {true, false})
    void betaZeroNeverReadsC(boolean vector) {
        Simd.setForceScalar(!vector);
        Random rng = new Random(5);
        for (int variant = 0; variant < 4; variant++) {
            for (int[] s : new int[][] {{7, 13, 31}, {40, 70, 300}, {1, 1, 1}}) {
                Problem pr = new Problem(rng, (variant & 1) != 0, (variant & 2) != 0, s[0], s[1], s[2], 1.5f, 0f, 2, true);
                float[] out = pr.run();
                pr.check("beta=0 over NaN " + pr, out);
            }
        }
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {true, false})
    void zeroAlphaOrZeroKScalesCWithoutReadingAOrB(boolean vector) {
        Simd.setForceScalar(!vector);
        float[] nanAb = new float[64];
        Arrays.fill(nanAb, Float.NaN);
        float[] c = {1f, 2f, 3f, 4f, 5f, 6f};
        Gemm.sgemm(false, false, 2, 3, 4, 0f, nanAb, 0, 4, nanAb, 0, 3, 0.5f, c, 0, 3);
        Assertions2.assertBitIdentical("alpha=0", new float[] {0.5f, 1f, 1.5f, 2f, 2.5f, 3f}, c);
        float[] cNan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Gemm.sgemm(true, true, 2, 2, 0, 1f, nanAb, 0, 2, nanAb, 0, 1, 0f, cNan, 0, 2);
        Assertions2.assertBitIdentical("k=0 beta=0", new float[4], cNan);
    }

    @Test
    void vectorPathIsReallyVector() {
        // Guards the test setup: if the Vector API were missing, the "vector" cases above would
        // silently test the scalar path twice.
        assertTrue(Simd.available(), "jdk.incubator.vector must be present for the tests");
        Simd.setForceScalar(false);
        assertTrue(Simd.enabled());
        Simd.setForceScalar(true);
        assertFalse(Simd.enabled());
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {true, false})
    void bitIdenticalForOneAndTwoThreads(boolean vector) {
        Simd.setForceScalar(!vector);
        Random rng = new Random(11);
        int[][] sizes = {{300, 257, 600}, {16, 1000, 144}, {24, 700, 600}, {600, 40, 300}, {129, 131, 1030}};
        for (int variant = 0; variant < 4; variant++) {
            for (int[] s : sizes) {
                Problem pr = new Problem(rng, (variant & 1) != 0, (variant & 2) != 0, s[0], s[1], s[2], 0.5f, -1.25f, 1, false);
                Parallel.setThreads(1);
                float[] one = pr.run();
                Parallel.setThreads(2);
                float[] two = pr.run();
                Parallel.setThreads(3);
                float[] three = pr.run();
                Assertions2.assertBitIdentical("1 vs 2 threads " + pr, one, two);
                Assertions2.assertBitIdentical("1 vs 3 threads " + pr, one, three);
            }
        }
    }

    @Test
    void vectorAndScalarAgree() {
        Random rng = new Random(3);
        Problem pr = new Problem(rng, false, true, 65, 97, 1000, 1f, 0f, 0, false);
        Simd.setForceScalar(false);
        float[] v = pr.run();
        pr.check("vector", v);
        Simd.setForceScalar(true);
        float[] s = pr.run();
        pr.check("scalar", s);
    }

    @Test
    void matmulMatchesSgemmForEveryTransposition() {
        Random rng = new Random(8);
        Tensor a = Tensor.randn(rng, 1f, 5, 7);
        Tensor at = Tensor.randn(rng, 1f, 7, 5);
        Tensor b = Tensor.randn(rng, 1f, 7, 3);
        Tensor bt = Tensor.randn(rng, 1f, 3, 7);
        for (int variant = 0; variant < 4; variant++) {
            boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
            Tensor x = ta ? at : a, y = tb ? bt : b;
            Tensor c = Gemm.matmul(x, ta, y, tb);
            assertTrue(c.hasShape(5, 3), "shape " + Arrays.toString(c.shape()));
            double[] expected = new double[15];
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    for (int p = 0; p < 7; p++) {
                        s += (double) (ta ? x.get(p, i) : x.get(i, p)) * (tb ? y.get(j, p) : y.get(p, j));
                    }
                    expected[i * 3 + j] = s;
                }
            }
            Assertions2.assertClose("matmul variant " + variant, expected, c.data(), c.offset(), 1e-5, 1e-5);
        }
    }

    @Test
    void matmulOnViewsUsesTheirOffsets() {
        Random rng = new Random(9);
        Tensor big = Tensor.randn(rng, 1f, 6, 4);
        Tensor a = big.slice0(2, 5); // 3 x 4 view at offset 8
        Tensor b = Tensor.randn(rng, 1f, 4, 2);
        Tensor c = Gemm.matmul(a, false, b, false);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double s = 0;
                for (int p = 0; p < 4; p++) s += (double) big.get(i + 2, p) * b.get(p, j);
                assertEquals(s, c.get(i, j), 1e-5);
            }
        }
    }

    @Test
    void matmulShapeErrorNamesBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(a, false, b, false));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4, 5]"), e.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(a, true, b, true));
        assertTrue(t.getMessage().contains("[2, 3]^T") && t.getMessage().contains("[4, 5]^T"), t.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(Tensor.zeros(2, 3, 4), false, b, false));
        assertTrue(r.getMessage().contains("[2, 3, 4]"), r.getMessage());
    }

    @Test
    void sgemmRejectsWindowsThatDoNotFit() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 1, 3, b, 0, 2, 0f, c, 0, 2));
        assertTrue(small.getMessage().contains("A"), small.getMessage());
        IllegalArgumentException ld = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertTrue(ld.getMessage().contains("leading dimension"), ld.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 3, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 3));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
    }
    /** NC follows the L2 read at run time: half of it for a block of B, in whole micro-panels. */
    @Test
    void columnBlockFollowsTheL2() {
        int nr = GemmVector.tileCols();
        assertEquals(Math.max(nr, 128 / nr * nr), GemmVector.columnsForL2(1 << 20), "a Zen 4 core's 1 MiB");
        assertEquals(Math.max(nr, 256 / nr * nr), GemmVector.columnsForL2(2 << 20), "a Xeon core's 2 MiB");
        assertEquals(nr, GemmVector.columnsForL2(64 << 10), "never less than one micro-panel");
        assertEquals(16 * nr, GemmVector.columnsForL2(1 << 30), "nor more than 16");
    }

    /** Another machine's column blocking gives the same bits: blocking never changes how a sum is formed. */
    @Test
    void everyColumnBlockingGivesTheSameBits() {
        Random rng = new Random(11);
        int m = 37, n = 700, k = 1300;
        for (boolean transB : new boolean[] {false, true}) {
            float[] a = new float[m * k], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = rng.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = rng.nextFloat() - 0.5f;
            float[] reference = null;
            for (int nc : new int[] {GemmVector.tileCols(), 128, 256, 512}) {
                int ncBlock = Math.max(GemmVector.tileCols(), nc / GemmVector.tileCols() * GemmVector.tileCols());
                float[] c = new float[m * n];
                GemmVector.multiply(false, transB, m, n, k, 1f, a, 0, k, b, 0, transB ? k : n, 0f, c, 0, n, ncBlock);
                if (reference == null) reference = c;
                else Assertions2.assertBitIdentical("NC=" + ncBlock + (transB ? " NT" : " NN"), reference, c);
            }
        }
    }

    /**
     * A packed once and multiplied by {@link Gemm#sgemmPackedA} gives sgemm's bits, for whole and
     * ragged tile rows and columns, streamed and packed B, one to three threads; C's window only is
     * written, and operands the packed kernel does not take are refused.
     */
    @Test
    void packedLeftOperandGivesSgemmsBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Simd.available(), "no Vector API in this JVM");
        Random rng = new Random(17);
        int[][] sizes = {{64, 256, 64}, {37, 300, 129}, {8, 33, 1}, {5, 1000, 576}, {130, 70, 1024}, {64, 2048, 64}};
        for (int[] sz : sizes) {
            for (float beta : new float[] {0f, 1f, -0.5f}) {
                Problem pr = new Problem(rng, false, false, sz[0], sz[1], sz[2], 0.75f, beta, 3, false);
                Parallel.setThreads(1);
                float[] expected = pr.run();
                int size = Gemm.packedASize(pr.m, pr.k);
                assertTrue(size > 0, "packed size for " + pr);
                float[] packed = new float[5 + size];
                Gemm.packA(pr.m, pr.k, pr.a, pr.aOff, pr.lda, packed, 5);
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] out = pr.c.clone();
                    Gemm.sgemmPackedA(pr.m, pr.n, pr.k, pr.alpha, packed, 5, pr.b, pr.bOff, pr.ldb, pr.beta, out, pr.cOff,
                            pr.ldc);
                    Assertions2.assertBitIdentical("packed A, " + threads + " threads, " + pr, expected, out);
                }
            }
        }
        assertEquals(0, Gemm.packedASize(8, 4096), "k beyond one block");
        assertEquals(0, Gemm.packedASize(0, 8), "empty operand");
        assertThrows(IllegalArgumentException.class, () -> Gemm.packA(8, 4096, new float[8 * 4096], 0, 4096,
                new float[8 * 4096], 0));
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemmPackedA(8, -1, 8, 1f,
                new float[Gemm.packedASize(8, 8)], 0, new float[64], 0, 8, 0f, new float[64], 0, 8));
        Simd.setForceScalar(true);
        assertEquals(0, Gemm.packedASize(64, 64), "no packed kernel on the scalar path");
    }
}
