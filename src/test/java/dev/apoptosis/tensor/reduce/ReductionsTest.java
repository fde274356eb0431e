package dev.apoptosis.tensor.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reductions against plain double loops, on both paths, with 1 and 2 threads. */
class ReductionsTest {
    private static final int BIG = 3 * Kernels.CHUNK + 1031;

    /** |actual - exact| within 1e-12 of the sum of magnitudes: float64 accumulation, any order. */
    private static void assertSum(String what, double exact, double magnitude, double actual) {
        assertTrue(Math.abs(actual - exact) <= 1e-12 * magnitude + 1e-300, what + ": " + actual + " vs " + exact);
    }

    @Test
    void wholeWindowSumsMatchDoubleLoops() {
        Random rng = new Random(1);
        int[] sizes = java.util.stream.IntStream.concat(java.util.Arrays.stream(KernelTesting.SIZES),
                java.util.stream.IntStream.of(0, BIG)).toArray();
        for (int n : sizes) {
            float[] a = KernelTesting.gaussian(rng, n + 5, 3), b = KernelTesting.gaussian(rng, n + 2, 3);
            double s = 0, d = 0, q = 0, ms = 0, md = 0;
            for (int i = 0; i < n; i++) {
                s += a[5 + i];
                ms += Math.abs(a[5 + i]);
                d += (double) a[5 + i] * b[2 + i];
                md += Math.abs((double) a[5 + i] * b[2 + i]);
                q += (double) a[5 + i] * a[5 + i];
            }
            double es = s, ed = d, eq = q, fms = ms, fmd = md;
            KernelTesting.onBothPaths(path -> {
                assertSum("sum n=" + n + " " + path, es, fms, Reductions.sum(a, 5, n));
                assertSum("dot n=" + n + " " + path, ed, fmd, Reductions.dot(a, 5, b, 2, n));
                assertSum("sumSquares n=" + n + " " + path, eq, eq, Reductions.sumSquares(a, 5, n));
            });
        }
    }

    @Test
    void longSumsDoNotLoseFloatPrecision() {
        // 1 + 1e-8 added 2^20 times: a float accumulator would return 2^20 exactly.
        int n = 1 << 20;
        float[] x = new float[n];
        java.util.Arrays.fill(x, 1.00000001f);
        double exact = n * (double) 1.00000001f;
        KernelTesting.onBothPaths(path -> assertEquals(exact, Reductions.sum(x, 0, n), 1e-6, path));
    }

    @Test
    void chunkedSumsAreBitIdenticalForOneAndTwoThreads() {
        Random rng = new Random(2);
        float[] a = KernelTesting.gaussian(rng, BIG, 1), b = KernelTesting.gaussian(rng, BIG, 1);
        KernelTesting.onBothPaths(path -> {
            double[] one = KernelTesting.withThreads(1, () -> new double[] {Reductions.sum(a, 0, BIG),
                Reductions.dot(a, 0, b, 0, BIG), Reductions.sumSquares(a, 0, BIG)});
            double[] two = KernelTesting.withThreads(2, () -> new double[] {Reductions.sum(a, 0, BIG),
                Reductions.dot(a, 0, b, 0, BIG), Reductions.sumSquares(a, 0, BIG)});
            assertArrayEquals(one, two, 0.0, path);
        });
    }

    @Test
    void rowMaxAndArgmaxPickTheFirstMaximumAndPropagateNaN() {
        Random rng = new Random(3);
        for (int cols : KernelTesting.SIZES) {
            int rows = 5;
            float[] x = KernelTesting.gaussian(rng, rows * cols + 1, 1);
            // row 1: a tie at the end and middle; row 2: a NaN; row 3: all equal
            if (cols > 2) {
                x[1 + cols + cols - 1] = 9f;
                x[1 + cols + cols / 2] = 9f;
            }
            x[1 + 2 * cols + cols / 2] = Float.NaN;
            for (int j = 0; j < cols; j++) x[1 + 3 * cols + j] = -2f;
            float[] maxOut = new float[rows];
            int[] argOut = new int[rows];
            KernelTesting.onBothPaths(path -> {
                Reductions.rowMax(x, 1, rows, cols, maxOut);
                Reductions.rowArgmax(x, 1, rows, cols, argOut);
                for (int r = 0; r < rows; r++) {
                    float m = Float.NEGATIVE_INFINITY;
                    int arg = -1;
                    for (int j = 0; j < cols; j++) {
                        float v = x[1 + r * cols + j];
                        if (Float.isNaN(v)) {
                            m = v;
                            arg = j;
                            break;
                        }
                        if (v > m) {
                            m = v;
                            arg = j;
                        }
                    }
                    assertTrue(KernelTesting.sameValue(m, maxOut[r]), "rowMax r=" + r + " cols=" + cols + " " + path);
                    assertEquals(arg, argOut[r], "rowArgmax r=" + r + " cols=" + cols + " " + path);
                }
            });
        }
        assertThrows(IllegalArgumentException.class, () -> Reductions.rowMax(new float[0], 0, 1, 0, new float[1]));
    }

    @Test
    void rowSumsAndDotsMatchDoubleLoops() {
        Random rng = new Random(4);
        for (int cols : KernelTesting.SIZES) {
            int rows = 7;
            float[] a = KernelTesting.gaussian(rng, rows * cols, 2), b = KernelTesting.gaussian(rng, rows * cols + 3, 2);
            double[] s = new double[rows], d = new double[rows];
            KernelTesting.onBothPaths(path -> {
                Reductions.rowSums(a, 0, rows, cols, s);
                Reductions.rowDots(a, 0, b, 3, rows, cols, d);
                for (int r = 0; r < rows; r++) {
                    double es = 0, ed = 0, ms = 0, md = 0;
                    for (int j = 0; j < cols; j++) {
                        es += a[r * cols + j];
                        ms += Math.abs(a[r * cols + j]);
                        ed += (double) a[r * cols + j] * b[3 + r * cols + j];
                        md += Math.abs((double) a[r * cols + j] * b[3 + r * cols + j]);
                    }
                    assertSum("rowSums " + path, es, ms, s[r]);
                    assertSum("rowDots " + path, ed, md, d[r]);
                }
            });
        }
    }

    @Test
    void perChannelSumsMatchDoubleLoopsInBothLayouts() {
        Random rng = new Random(5);
        int[][] shapes = {{1, 1, 1}, {3, 5, 1}, {2, 17, 1}, {4, 3, 7}, {2, 31, 9}, {5, 2, 257}, {1, 3, 1031},
            {2000, 33, 1}, {9, 16, 1}, {3, 1, 5}};
        for (int[] sh : shapes) {
            int outer = sh[0], channels = sh[1], inner = sh[2], n = outer * channels * inner;
            float[] a = KernelTesting.gaussian(rng, n + 2, 2), b = KernelTesting.gaussian(rng, n, 2);
            double[] es = new double[channels], ep = new double[channels], ms = new double[channels], mp = new double[channels];
            for (int o = 0; o < outer; o++) {
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < inner; i++) {
                        int k = (o * channels + c) * inner + i;
                        es[c] += a[2 + k];
                        ms[c] += Math.abs(a[2 + k]);
                        ep[c] += (double) a[2 + k] * b[k];
                        mp[c] += Math.abs((double) a[2 + k] * b[k]);
                    }
                }
            }
            KernelTesting.onBothPaths(path -> {
                double[] s = new double[channels], p = new double[channels];
                Reductions.sumPerChannel(a, 2, outer, channels, inner, s);
                Reductions.sumProductPerChannel(a, 2, b, 0, outer, channels, inner, p);
                for (int c = 0; c < channels; c++) {
                    assertSum("sumPerChannel " + java.util.Arrays.toString(sh) + " " + path, es[c], ms[c], s[c]);
                    assertSum("sumProductPerChannel " + java.util.Arrays.toString(sh) + " " + path, ep[c], mp[c], p[c]);
                }
                // The fused pass gives exactly what the two separate ones give.
                double[] fs = new double[channels], fp = new double[channels];
                Reductions.sumAndProductPerChannel(a, 2, b, 0, outer, channels, inner, fs, fp);
                assertArrayEquals(s, fs, 0.0, "sumAndProductPerChannel sums " + java.util.Arrays.toString(sh) + " " + path);
                assertArrayEquals(p, fp, 0.0, "sumAndProductPerChannel products " + java.util.Arrays.toString(sh) + " " + path);
            });
        }
    }

    @Test
    void perChannelSumsAreBitIdenticalForOneAndTwoThreads() {
        Random rng = new Random(6);
        for (int[] sh : new int[][] {{5000, 37, 1}, {16, 24, 1031}}) {
            int n = sh[0] * sh[1] * sh[2];
            float[] a = KernelTesting.gaussian(rng, n, 1), b = KernelTesting.gaussian(rng, n, 1);
            KernelTesting.onBothPaths(path -> {
                double[][] one = KernelTesting.withThreads(1, () -> channelSums(a, b, sh));
                double[][] two = KernelTesting.withThreads(2, () -> channelSums(a, b, sh));
                for (int k = 0; k < one.length; k++) assertArrayEquals(one[k], two[k], 0.0, path + " result " + k);
            });
        }
    }

    /**
     * The NCHW per-channel sums walk memory sample by sample, keeping each channel's running sum
     * aside; with segments of whole vectors that gives exactly the single-range sum of the channel's
     * values laid end to end (the same lanes see the same values in the same order), on both paths
     * and any thread count. A mix-up of the channels' running sums would break the equality.
     */
    @Test
    void perChannelSumsEqualTheSumOfEachChannelLaidEndToEnd() {
        Random rng = new Random(8);
        int outer = 5, channels = 7, inner = 128;
        float[] a = KernelTesting.gaussian(rng, outer * channels * inner, 1), b = KernelTesting.gaussian(rng, a.length, 1);
        float[][] ca = new float[channels][outer * inner], cb = new float[channels][outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(a, (o * channels + c) * inner, ca[c], o * inner, inner);
                System.arraycopy(b, (o * channels + c) * inner, cb[c], o * inner, inner);
            }
        }
        KernelTesting.onBothPaths(path -> {
            for (int threads : new int[] {1, 2}) {
                double[][] r = KernelTesting.withThreads(threads, () -> channelSums(a, b, new int[] {outer, channels, inner}));
                for (int c = 0; c < channels; c++) {
                    String what = path + ", " + threads + " thread(s), channel " + c;
                    assertEquals(Reductions.sum(ca[c], 0, ca[c].length), r[0][c], 0.0, "sum " + what);
                    assertEquals(Reductions.dot(ca[c], 0, cb[c], 0, ca[c].length), r[1][c], 0.0, "dot " + what);
                    assertEquals(r[0][c], r[2][c], 0.0, "fused sum " + what);
                    assertEquals(r[1][c], r[3][c], 0.0, "fused dot " + what);
                }
            }
        });
    }

    /** Σ(x - shift) and Σ(x - shift)² per channel: double loops in both layouts, both paths, 1 and 2 threads alike. */
    @Test
    void shiftedSumsPerChannelMatchDoubleLoops() {
        Random rng = new Random(9);
        for (int[] sh : new int[][] {{3, 5, 1}, {2000, 33, 1}, {4, 3, 7}, {5, 2, 257}, {16, 24, 1031}}) {
            int outer = sh[0], channels = sh[1], inner = sh[2], n = outer * channels * inner;
            float[] x = KernelTesting.gaussian(rng, n + 1, 2);
            double[] shift = new double[channels], es = new double[channels], eq = new double[channels], mag = new double[channels];
            for (int c = 0; c < channels; c++) shift[c] = x[1 + c * inner] + 0.25;
            for (int o = 0; o < outer; o++) {
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < inner; i++) {
                        double d = x[1 + (o * channels + c) * inner + i] - shift[c];
                        es[c] += d;
                        eq[c] += d * d;
                        mag[c] += Math.abs(d);
                    }
                }
            }
            KernelTesting.onBothPaths(path -> {
                double[][] one = KernelTesting.withThreads(1, () -> shiftedSums(x, shift, sh));
                double[][] two = KernelTesting.withThreads(2, () -> shiftedSums(x, shift, sh));
                for (int c = 0; c < channels; c++) {
                    String at = java.util.Arrays.toString(sh) + " c=" + c + " " + path;
                    assertSum("shifted sum " + at, es[c], mag[c], one[0][c]);
                    assertSum("shifted squares " + at, eq[c], eq[c], one[1][c]);
                }
                assertArrayEquals(one[0], two[0], 0.0, "sums, 1 vs 2 threads " + path);
                assertArrayEquals(one[1], two[1], 0.0, "squares, 1 vs 2 threads " + path);
            });
        }
    }

    private static double[][] shiftedSums(float[] x, double[] shift, int[] sh) {
        double[] s = new double[sh[1]], q = new double[sh[1]];
        Reductions.shiftedSumsPerChannel(x, 1, shift, sh[0], sh[1], sh[2], s, q);
        return new double[][] {s, q};
    }

    private static double[][] channelSums(float[] a, float[] b, int[] sh) {
        double[] s = new double[sh[1]], p = new double[sh[1]];
        Reductions.sumPerChannel(a, 0, sh[0], sh[1], sh[2], s);
        Reductions.sumProductPerChannel(a, 0, b, 0, sh[0], sh[1], sh[2], p);
        double[] fs = new double[sh[1]], fp = new double[sh[1]];
        Reductions.sumAndProductPerChannel(a, 0, b, 0, sh[0], sh[1], sh[2], fs, fp);
        return new double[][] {s, p, fs, fp};
    }

    @Test
    void tensorOverloads() {
        Random rng = new Random(7);
        Tensor x = Tensor.randn(rng, 1f, 2, 3, 4);
        Tensor cs = Reductions.columnSums(x);
        assertTrue(cs.hasShape(4));
        for (int c = 0; c < 4; c++) {
            double e = 0;
            for (int r = 0; r < 6; r++) e += x.at(r * 4 + c);
            assertEquals((float) e, cs.at(c));
        }
        Tensor pc = Reductions.sumPerChannel(x);
        assertTrue(pc.hasShape(3));
        for (int c = 0; c < 3; c++) {
            double e = 0;
            for (int o = 0; o < 2; o++) for (int i = 0; i < 4; i++) e += x.get(o, c, i);
            assertEquals((float) e, pc.at(c));
        }
        Tensor rm = Reductions.rowMax(x);
        assertTrue(rm.hasShape(2, 3));
        assertEquals(6, Reductions.rowArgmax(x).length);
        assertEquals(Reductions.sum(x), Reductions.dot(x, Tensor.full(1f, 2, 3, 4)), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reductions.sumProductPerChannel(x, Tensor.zeros(2, 4, 3)));
        assertTrue(e.getMessage().contains("sumProductPerChannel") && e.getMessage().contains("[2, 3, 4]")
                && e.getMessage().contains("[2, 4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Reductions.dot(x, Tensor.zeros(24)));
        assertTrue(e.getMessage().contains("dot") && e.getMessage().contains("[24]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reductions.sumPerChannel(Tensor.zeros(5)));
    }
}
