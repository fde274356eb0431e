package dev.apoptosis.tensor.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Softmax family against double references and finite differences, on both paths and thread counts. */
class SoftmaxKernelsTest {
    /** Double softmax of one row. */
    static double[] softmaxRef(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) m = Math.max(m, v);
        double s = 0;
        double[] p = new double[x.length];
        for (int j = 0; j < x.length; j++) s += p[j] = Math.exp(x[j] - m);
        for (int j = 0; j < x.length; j++) p[j] /= s;
        return p;
    }

    static double lseRef(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) m = Math.max(m, v);
        double s = 0;
        for (double v : x) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    static double[] row(float[] a, int r, int cols) {
        double[] d = new double[cols];
        for (int j = 0; j < cols; j++) d[j] = a[r * cols + j];
        return d;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double[] softmaxVjpRef(double[] p, double[] g) {
        double c = dot(p, g);
        double[] o = new double[p.length];
        for (int j = 0; j < p.length; j++) o[j] = p[j] * (g[j] - c);
        return o;
    }

    static double[] logSoftmaxVjpRef(double[] p, double[] g) {
        double s = 0;
        for (double v : g) s += v;
        double[] o = new double[p.length];
        for (int j = 0; j < p.length; j++) o[j] = g[j] - p[j] * s;
        return o;
    }

    private static void close(String what, double expected, float actual, double rtol, double atol) {
        if (actual == expected) return;
        assertTrue(Math.abs(actual - expected) <= rtol * Math.abs(expected) + atol, what + ": " + actual + " vs " + expected);
    }

    @Test
    void forwardKernelsMatchDoubleReferences() {
        Random rng = new Random(1);
        for (int cols : KernelTesting.SIZES) {
            int rows = 4;
            float[] x = KernelTesting.gaussian(rng, rows * cols + 2, 5);
            if (cols > 3) {
                x[2 + cols + 1] = Float.NEGATIVE_INFINITY;   // a masked entry in row 1
                for (int j = 0; j < cols; j++) x[2 + 2 * cols + j] += 1000f;   // row 2 far from 0
            }
            float[] xs = java.util.Arrays.copyOfRange(x, 2, x.length);
            KernelTesting.onBothPaths(path -> {
                float[] p = new float[rows * cols], lp = new float[rows * cols + 1];
                double[] lse = new double[rows];
                SoftmaxKernels.softmax(x, 2, p, 0, rows, cols);
                SoftmaxKernels.logSoftmax(x, 2, lp, 1, rows, cols);
                SoftmaxKernels.logSumExp(x, 2, rows, cols, lse);
                for (int r = 0; r < rows; r++) {
                    double[] xr = row(xs, r, cols), pr = softmaxRef(xr);
                    double l = lseRef(xr), m = java.util.Arrays.stream(xr).max().getAsDouble();
                    // float exponentials: the sum is off by a few float ulps, so lse by ~1e-7 absolute
                    assertEquals(l, lse[r], 1e-12 * Math.abs(l) + 4e-7, "lse " + path);
                    for (int j = 0; j < cols; j++) {
                        String at = "cols=" + cols + " r=" + r + " j=" + j + " " + path;
                        // x - max is rounded to float like PyTorch's: relative error grows with |x - max|
                        close("softmax " + at, pr[j], p[r * cols + j], 5e-7 + 6e-8 * Math.abs(xr[j] - m), 1e-30);
                        double lref = xr[j] - l;
                        if (Double.isInfinite(lref)) assertEquals(Float.NEGATIVE_INFINITY, lp[1 + r * cols + j], at);
                        else close("logSoftmax " + at, lref, lp[1 + r * cols + j], 1e-6, 2e-6 * (1 + Math.abs(l)));
                    }
                }
            });
        }
    }

    @Test
    void softmaxAndLogSoftmaxWorkInPlace() {
        Random rng = new Random(2);
        float[] x = KernelTesting.gaussian(rng, 3 * 37, 3);
        float[] p = new float[x.length], lp = new float[x.length];
        SoftmaxKernels.softmax(x, 0, p, 0, 3, 37);
        SoftmaxKernels.logSoftmax(x, 0, lp, 0, 3, 37);
        float[] a = x.clone(), b = x.clone();
        SoftmaxKernels.softmax(a, 0, a, 0, 3, 37);
        SoftmaxKernels.logSoftmax(b, 0, b, 0, 3, 37);
        KernelTesting.assertSameValues("softmax in place", p, a);
        KernelTesting.assertSameValues("logSoftmax in place", lp, b);
    }

    @Test
    void jvpAndVjpMatchDoubleFormulasAndFiniteDifferences() {
        Random rng = new Random(3);
        for (int cols : KernelTesting.SIZES) {
            int rows = 3;
            float[] x = KernelTesting.gaussian(rng, rows * cols, 2), v = KernelTesting.gaussian(rng, rows * cols, 1);
            float[] p = new float[rows * cols];
            SoftmaxKernels.softmax(x, 0, p, 0, rows, cols);
            KernelTesting.onBothPaths(path -> {
                float[] sj = new float[rows * cols], sv = new float[rows * cols], lj = new float[rows * cols], lv = new float[rows * cols];
                SoftmaxKernels.softmaxJvp(p, 0, v, 0, sj, 0, rows, cols);
                SoftmaxKernels.softmaxVjp(p, 0, v, 0, sv, 0, rows, cols);
                SoftmaxKernels.logSoftmaxJvp(p, 0, v, 0, lj, 0, rows, cols);
                SoftmaxKernels.logSoftmaxVjp(p, 0, v, 0, lv, 0, rows, cols);
                KernelTesting.assertSameValues("softmax JVP == VJP", sj, sv);
                for (int r = 0; r < rows; r++) {
                    double[] xr = row(x, r, cols), vr = row(v, r, cols), pr = row(p, r, cols);
                    double[] sref = softmaxVjpRef(pr, vr), lvref = logSoftmaxVjpRef(pr, vr);
                    double pv = dot(pr, vr);
                    // directional derivative of the double softmax along v
                    double h = 1e-6;
                    double[] xp = xr.clone(), xm = xr.clone();
                    for (int j = 0; j < cols; j++) {
                        xp[j] += h * vr[j];
                        xm[j] -= h * vr[j];
                    }
                    double[] sp = softmaxRef(xp), sm = softmaxRef(xm);
                    for (int j = 0; j < cols; j++) {
                        String at = "cols=" + cols + " r=" + r + " j=" + j + " " + path;
                        close("softmaxJvp " + at, sref[j], sj[r * cols + j], 1e-5, 1e-7);
                        close("softmaxJvp vs FD " + at, (sp[j] - sm[j]) / (2 * h), sj[r * cols + j], 1e-5, 1e-6);
                        close("logSoftmaxJvp " + at, vr[j] - pv, lj[r * cols + j], 1e-5, 1e-6);
                        double fdLog = (Math.log(sp[j]) - Math.log(sm[j])) / (2 * h);
                        close("logSoftmaxJvp vs FD " + at, fdLog, lj[r * cols + j], 1e-5, 1e-5);
                        close("logSoftmaxVjp " + at, lvref[j], lv[r * cols + j], 1e-5, 1e-6);
                    }
                }
            });
        }
    }

    @Test
    void secondOrderTermsMatchFiniteDifferencesOfTheVjp() {
        Random rng = new Random(4);
        for (int cols : new int[] {1, 3, 17, 33}) {
            int rows = 2;
            float[] x = KernelTesting.gaussian(rng, rows * cols, 2), xd = KernelTesting.gaussian(rng, rows * cols, 1);
            float[] g = KernelTesting.gaussian(rng, rows * cols, 1);
            float[] p = new float[rows * cols], pd = new float[rows * cols];
            SoftmaxKernels.softmax(x, 0, p, 0, rows, cols);
            SoftmaxKernels.softmaxJvp(p, 0, xd, 0, pd, 0, rows, cols);
            KernelTesting.onBothPaths(path -> {
                float[] s2 = new float[rows * cols], l2 = new float[rows * cols];
                SoftmaxKernels.softmaxSecondOrder(p, 0, pd, 0, g, 0, s2, 0, rows, cols);
                SoftmaxKernels.logSoftmaxSecondOrder(pd, 0, g, 0, l2, 0, rows, cols);
                for (int r = 0; r < rows; r++) {
                    double[] xr = row(x, r, cols), dr = row(xd, r, cols), gr = row(g, r, cols);
                    double h = 1e-5;
                    double[] xp = xr.clone(), xm = xr.clone();
                    for (int j = 0; j < cols; j++) {
                        xp[j] += h * dr[j];
                        xm[j] -= h * dr[j];
                    }
                    double[] pp = softmaxRef(xp), pm = softmaxRef(xm);
                    double[] sp = softmaxVjpRef(pp, gr), sm = softmaxVjpRef(pm, gr);
                    double[] lpv = logSoftmaxVjpRef(pp, gr), lmv = logSoftmaxVjpRef(pm, gr);
                    for (int j = 0; j < cols; j++) {
                        String at = "cols=" + cols + " r=" + r + " j=" + j + " " + path;
                        close("softmaxSecondOrder " + at, (sp[j] - sm[j]) / (2 * h), s2[r * cols + j], 1e-4, 1e-6);
                        close("logSoftmaxSecondOrder " + at, (lpv[j] - lmv[j]) / (2 * h), l2[r * cols + j], 1e-4, 1e-6);
                    }
                }
            });
        }
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        Random rng = new Random(5);
        int rows = 3000, cols = 37;
        float[] x = KernelTesting.gaussian(rng, rows * cols, 3), v = KernelTesting.gaussian(rng, rows * cols, 1);
        KernelTesting.onBothPaths(path -> {
            float[][] one = KernelTesting.withThreads(1, () -> all(x, v, rows, cols));
            float[][] two = KernelTesting.withThreads(2, () -> all(x, v, rows, cols));
            for (int k = 0; k < one.length; k++) KernelTesting.assertSameValues("threads #" + k + " " + path, one[k], two[k]);
        });
    }

    private static float[][] all(float[] x, float[] v, int rows, int cols) {
        int n = rows * cols;
        float[] p = new float[n], lp = new float[n], j = new float[n], lv = new float[n], s2 = new float[n];
        double[] lse = new double[rows];
        SoftmaxKernels.softmax(x, 0, p, 0, rows, cols);
        SoftmaxKernels.logSoftmax(x, 0, lp, 0, rows, cols);
        SoftmaxKernels.logSumExp(x, 0, rows, cols, lse);
        SoftmaxKernels.softmaxJvp(p, 0, v, 0, j, 0, rows, cols);
        SoftmaxKernels.logSoftmaxVjp(p, 0, v, 0, lv, 0, rows, cols);
        SoftmaxKernels.softmaxSecondOrder(p, 0, j, 0, v, 0, s2, 0, rows, cols);
        float[] l = new float[rows];
        for (int r = 0; r < rows; r++) l[r] = (float) lse[r];
        return new float[][] {p, lp, j, lv, s2, l};
    }

    @Test
    void tensorOverloads() {
        Random rng = new Random(6);
        Tensor x = Tensor.randn(rng, 1f, 2, 3, 5);
        Tensor p = SoftmaxKernels.softmax(x);
        double s = 0;
        for (int j = 0; j < 5; j++) s += p.get(1, 2, j);
        assertEquals(1.0, s, 1e-6);
        Tensor lse = SoftmaxKernels.logSumExp(x);
        assertTrue(lse.hasShape(2, 3));
        assertEquals(Math.log(Math.exp(x.get(0, 0, 0)) / p.get(0, 0, 0)), lse.get(0, 0), 1e-5);
        Tensor lp = SoftmaxKernels.logSoftmax(x);
        assertEquals(Math.log(p.get(1, 1, 1)), lp.get(1, 1, 1), 1e-6);
        Tensor bad = Tensor.zeros(2, 5, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SoftmaxKernels.softmaxVjp(p, bad));
        assertTrue(e.getMessage().contains("softmaxVjp") && e.getMessage().contains("[2, 3, 5]")
                && e.getMessage().contains("[2, 5, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SoftmaxKernels.logSoftmaxJvp(p, bad));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxKernels.softmaxSecondOrder(p, p, bad));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxKernels.softmax(new float[5], 0, new float[5], 0, 2, 3));
    }
}
