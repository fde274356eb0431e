package dev.apoptosis.tensor.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BatchNorm kernels against the double reference and its finite differences, both layouts and paths. */
class BatchNormKernelsTest {
    private static final int[][] SHAPES = {{1, 1, 2}, {4, 3, 1}, {7, 17, 1}, {2, 5, 15}, {3, 2, 17}, {2, 3, 33}, {1, 2, 257},
        {40, 33, 1}};
    private static final float EPS = 1e-5f;

    @Test
    void statsMatchTwoPassDoubleEvenFarFromZero() {
        Random rng = new Random(1);
        for (int[] sh : SHAPES) {
            int outer = sh[0], channels = sh[1], inner = sh[2], n = outer * channels * inner;
            float[] x = KernelTesting.gaussian(rng, n + 1, 1);
            for (int k = 0; k < n; k++) x[1 + k] += 1000f; // catastrophic for E[x²] - E[x]²
            double[] xd = NormReference.toDouble(Arrays.copyOfRange(x, 1, n + 1));
            KernelTesting.onBothPaths(path -> {
                float[] mean = new float[channels], var = new float[channels], is = new float[channels];
                BatchNormKernels.stats(x, 1, outer, channels, inner, EPS, mean, var, is);
                for (int c = 0; c < channels; c++) {
                    double mu = 0, v = 0, m = outer * inner;
                    for (int o = 0; o < outer; o++) for (int i = 0; i < inner; i++) mu += xd[(o * channels + c) * inner + i];
                    mu /= m;
                    for (int o = 0; o < outer; o++) {
                        for (int i = 0; i < inner; i++) {
                            double d = xd[(o * channels + c) * inner + i] - mu;
                            v += d * d;
                        }
                    }
                    v /= m;
                    String at = Arrays.toString(sh) + " c=" + c + " " + path;
                    assertEquals((float) mu, mean[c], Math.ulp((float) mu), "mean " + at);
                    assertEquals(v, var[c], 1e-6 * v + 1e-12, "var " + at);
                    assertEquals(1 / Math.sqrt(v + EPS), is[c], 1e-6 / Math.sqrt(v + EPS), "invStd " + at);
                }
            });
        }
    }

    @Test
    void forwardAndBackwardMatchDoubleReferenceAndFiniteDifferences() {
        Random rng = new Random(2);
        for (int[] sh : SHAPES) {
            int outer = sh[0], channels = sh[1], inner = sh[2], n = outer * channels * inner;
            if (outer * inner < 2) continue; // one value per channel normalises to 0 whatever x is
            float[] x = KernelTesting.gaussian(rng, n, 2), g = KernelTesting.gaussian(rng, n, 1);
            float[] gamma = KernelTesting.gaussian(rng, channels, 1), beta = KernelTesting.gaussian(rng, channels, 1);
            double[] xd = NormReference.toDouble(x), gd = NormReference.toDouble(g);
            double[] gmd = NormReference.toDouble(gamma), btd = NormReference.toDouble(beta);
            double[] yRef = NormReference.batchNorm(xd, outer, channels, inner, EPS, gmd, btd);
            // gradients of L = <g, y> by central differences of the double reference
            double[] gxRef = new double[n];
            double h = 1e-6;
            for (int k = 0; k < n; k++) {
                double[] xp = xd.clone(), xm = xd.clone();
                xp[k] += h;
                xm[k] -= h;
                gxRef[k] = (NormReference.dot(gd, NormReference.batchNorm(xp, outer, channels, inner, EPS, gmd, btd))
                        - NormReference.dot(gd, NormReference.batchNorm(xm, outer, channels, inner, EPS, gmd, btd))) / (2 * h);
            }
            double[] gGammaRef = new double[channels], gBetaRef = new double[channels];
            double[] xhatRef = NormReference.batchNorm(xd, outer, channels, inner, EPS, null, null);
            for (int k = 0; k < n; k++) {
                int c = (k / inner) % channels;
                gGammaRef[c] += gd[k] * xhatRef[k];
                gBetaRef[c] += gd[k];
            }
            KernelTesting.onBothPaths(path -> {
                float[] mean = new float[channels], var = new float[channels], is = new float[channels];
                BatchNormKernels.stats(x, 0, outer, channels, inner, EPS, mean, var, is);
                float[] xhat = new float[n], y = new float[n];
                BatchNormKernels.apply(x, 0, outer, channels, inner, mean, is, gamma, beta, xhat, 0, y, 0);
                float[] gx = new float[n], gGamma = new float[channels], gBeta = new float[channels];
                BatchNormKernels.backward(g, 0, xhat, 0, outer, channels, inner, is, gamma, gx, 0, gGamma, gBeta);
                String at = Arrays.toString(sh) + " " + path;
                for (int k = 0; k < n; k++) {
                    assertEquals(yRef[k], y[k], 2e-6 * (1 + Math.abs(yRef[k])), "y[" + k + "] " + at);
                    assertEquals(xhatRef[k], xhat[k], 2e-6 * (1 + Math.abs(xhatRef[k])), "xhat[" + k + "] " + at);
                    assertEquals(gxRef[k], gx[k], 2e-5 * (1 + Math.abs(gxRef[k])), "gx[" + k + "] " + at);
                }
                for (int c = 0; c < channels; c++) {
                    assertEquals(gGammaRef[c], gGamma[c], 1e-5 * (1 + Math.abs(gGammaRef[c])), "gGamma " + at);
                    assertEquals(gBetaRef[c], gBeta[c], 1e-5 * (1 + Math.abs(gBetaRef[c])), "gBeta " + at);
                }
                // without affine parameters y is x̂ and the backward is the plain projection
                float[] y0 = new float[n];
                BatchNormKernels.apply(x, 0, outer, channels, inner, mean, is, null, null, null, 0, y0, 0);
                KernelTesting.assertSameValues("apply without affine " + at, xhat, y0);
            });
        }
    }

    @Test
    void projectWithoutScaleIsTheTangentOfTheNormalisedInput() {
        Random rng = new Random(3);
        int outer = 3, channels = 4, inner = 5, n = outer * channels * inner;
        float[] x = KernelTesting.gaussian(rng, n, 1), xDot = KernelTesting.gaussian(rng, n, 1);
        double[] xd = NormReference.toDouble(x), dd = NormReference.toDouble(xDot);
        double h = 1e-6;
        double[] xp = xd.clone(), xm = xd.clone();
        for (int k = 0; k < n; k++) {
            xp[k] += h * dd[k];
            xm[k] -= h * dd[k];
        }
        double[] hp = NormReference.batchNorm(xp, outer, channels, inner, EPS, null, null);
        double[] hm = NormReference.batchNorm(xm, outer, channels, inner, EPS, null, null);
        Norms.Stats st = BatchNormKernels.stats(Tensor.wrap(x, new int[] {outer, channels, inner}), EPS);
        Norms.Output out = BatchNormKernels.apply(Tensor.wrap(x, new int[] {outer, channels, inner}), st.mean(), st.invStd(), null, null);
        KernelTesting.onBothPaths(path -> {
            Tensor t = BatchNormKernels.project(Tensor.wrap(xDot, new int[] {outer, channels, inner}), out.xhat(), st.invStd(), null);
            for (int k = 0; k < n; k++) assertEquals((hp[k] - hm[k]) / (2 * h), t.at(k), 2e-5, "tangent[" + k + "] " + path);
        });
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        Random rng = new Random(4);
        for (int[] sh : new int[][] {{64, 24, 49}, {4000, 33, 1}}) {
            int n = sh[0] * sh[1] * sh[2];
            float[] x = KernelTesting.gaussian(rng, n, 1), g = KernelTesting.gaussian(rng, n, 1);
            float[] gamma = KernelTesting.gaussian(rng, sh[1], 1);
            KernelTesting.onBothPaths(path -> {
                float[][] one = KernelTesting.withThreads(1, () -> run(x, g, gamma, sh));
                float[][] two = KernelTesting.withThreads(2, () -> run(x, g, gamma, sh));
                for (int k = 0; k < one.length; k++) KernelTesting.assertSameValues("threads #" + k + " " + path, one[k], two[k]);
            });
        }
    }

    private static float[][] run(float[] x, float[] g, float[] gamma, int[] sh) {
        int c = sh[1], n = x.length;
        float[] mean = new float[c], var = new float[c], is = new float[c], xhat = new float[n], y = new float[n];
        float[] gx = new float[n], gg = new float[c], gb = new float[c];
        BatchNormKernels.stats(x, 0, sh[0], c, sh[2], EPS, mean, var, is);
        BatchNormKernels.apply(x, 0, sh[0], c, sh[2], mean, is, gamma, gamma, xhat, 0, y, 0);
        BatchNormKernels.backward(g, 0, xhat, 0, sh[0], c, sh[2], is, gamma, gx, 0, gg, gb);
        return new float[][] {mean, var, is, xhat, y, gx, gg, gb};
    }

    @Test
    void tensorOverloadsCheckShapes() {
        Tensor x = Tensor.randn(new Random(5), 1f, 2, 3, 4, 4);
        Norms.Stats st = BatchNormKernels.stats(x, EPS);
        assertTrue(st.mean().hasShape(3) && st.var().hasShape(3) && st.invStd().hasShape(3));
        Norms.Output out = BatchNormKernels.apply(x, st.mean(), st.invStd(), null, null);
        Norms.Grads gr = BatchNormKernels.backward(x, out.xhat(), st.invStd(), null);
        assertNull(gr.gGamma());
        assertTrue(gr.gx().hasShape(2, 3, 4, 4));
        Tensor bad = Tensor.zeros(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormKernels.apply(x, bad, st.invStd(), null, null));
        assertTrue(e.getMessage().contains("batchNorm.apply") && e.getMessage().contains("[4]")
                && e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.backward(x, Tensor.zeros(2, 3, 16), st.invStd(), null));
        assertTrue(e.getMessage().contains("[2, 3, 4, 4]") && e.getMessage().contains("[2, 3, 16]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.stats(Tensor.zeros(5), EPS));
        float[] invStd = new float[2];
        BatchNormKernels.invStd(new float[] {3f, 0f}, 1f, invStd, 2);
        assertEquals(0.5f, invStd[0]);
        assertEquals(1f, invStd[1]);
    }
}
