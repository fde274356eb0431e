package dev.apoptosis.tensor.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LayerNorm kernels against the double reference and its finite differences, both paths. */
class LayerNormKernelsTest {
    private static final float EPS = 1e-5f;

    @Test
    void forwardAndBackwardMatchDoubleReferenceAndFiniteDifferences() {
        Random rng = new Random(1);
        for (int cols : KernelTesting.SIZES) {
            if (cols < 2) continue;
            int rows = cols > 100 ? 2 : 3, n = rows * cols;
            float[] x = KernelTesting.gaussian(rng, n + 1, 2), g = KernelTesting.gaussian(rng, n, 1);
            for (int k = 0; k < n; k++) x[1 + k] += 300f;
            float[] gamma = KernelTesting.gaussian(rng, cols, 1), beta = KernelTesting.gaussian(rng, cols, 1);
            double[] xd = NormReference.toDouble(Arrays.copyOfRange(x, 1, n + 1)), gd = NormReference.toDouble(g);
            double[] gmd = NormReference.toDouble(gamma), btd = NormReference.toDouble(beta);
            double[] yRef = NormReference.layerNorm(xd, rows, cols, EPS, gmd, btd);
            double[] xhatRef = NormReference.layerNorm(xd, rows, cols, EPS, null, null);
            double[] gxRef = new double[n];
            double h = 1e-5;
            for (int k = 0; k < n; k++) {
                double[] xp = xd.clone(), xm = xd.clone();
                xp[k] += h;
                xm[k] -= h;
                gxRef[k] = (NormReference.dot(gd, NormReference.layerNorm(xp, rows, cols, EPS, gmd, btd))
                        - NormReference.dot(gd, NormReference.layerNorm(xm, rows, cols, EPS, gmd, btd))) / (2 * h);
            }
            double[] gGammaRef = new double[cols], gBetaRef = new double[cols];
            for (int k = 0; k < n; k++) {
                gGammaRef[k % cols] += gd[k] * xhatRef[k];
                gBetaRef[k % cols] += gd[k];
            }
            KernelTesting.onBothPaths(path -> {
                float[] mean = new float[rows], var = new float[rows], is = new float[rows];
                LayerNormKernels.stats(x, 1, rows, cols, EPS, mean, var, is);
                float[] xhat = new float[n], y = new float[n + 2];
                LayerNormKernels.apply(x, 1, rows, cols, mean, is, gamma, beta, xhat, 0, y, 2);
                float[] gx = new float[n], gGamma = new float[cols], gBeta = new float[cols];
                LayerNormKernels.backward(g, 0, xhat, 0, rows, cols, is, gamma, gx, 0, gGamma, gBeta);
                String at = "cols=" + cols + " " + path;
                for (int r = 0; r < rows; r++) {
                    double mu = 0, v = 0;
                    for (int j = 0; j < cols; j++) mu += xd[r * cols + j];
                    mu /= cols;
                    for (int j = 0; j < cols; j++) v += (xd[r * cols + j] - mu) * (xd[r * cols + j] - mu);
                    v /= cols;
                    assertEquals((float) mu, mean[r], Math.ulp((float) mu), "mean " + at);
                    assertEquals(v, var[r], 1e-6 * v, "var " + at);
                }
                for (int k = 0; k < n; k++) {
                    // x - mean is rounded to float at |x| ~ 300: about 3e-5 absolute, ~2e-5 in x̂
                    assertEquals(xhatRef[k], xhat[k], 6e-5, "xhat[" + k + "] " + at);
                    assertEquals(yRef[k], y[2 + k], 6e-5 * (1 + Math.abs(gmd[k % cols])), "y[" + k + "] " + at);
                    assertEquals(gxRef[k], gx[k], 1e-4 * (1 + Math.abs(gxRef[k])), "gx[" + k + "] " + at);
                }
                for (int c = 0; c < cols; c++) {
                    assertEquals(gGammaRef[c], gGamma[c], 1e-4 * (1 + Math.abs(gGammaRef[c])), "gGamma " + at);
                    assertEquals(gBetaRef[c], gBeta[c], 1e-5 * (1 + Math.abs(gBetaRef[c])), "gBeta " + at);
                }
            });
        }
    }

    @Test
    void projectWithoutGammaIsTheTangentOfTheNormalisedInput() {
        Random rng = new Random(2);
        int rows = 4, cols = 33, n = rows * cols;
        Tensor x = Tensor.randn(rng, 1f, rows, cols), xDot = Tensor.randn(rng, 1f, rows, cols);
        double[] xd = NormReference.toDouble(x.toArray()), dd = NormReference.toDouble(xDot.toArray());
        double h = 1e-6;
        double[] xp = xd.clone(), xm = xd.clone();
        for (int k = 0; k < n; k++) {
            xp[k] += h * dd[k];
            xm[k] -= h * dd[k];
        }
        double[] hp = NormReference.layerNorm(xp, rows, cols, EPS, null, null);
        double[] hm = NormReference.layerNorm(xm, rows, cols, EPS, null, null);
        Norms.Stats st = LayerNormKernels.stats(x, EPS);
        Norms.Output out = LayerNormKernels.apply(x, st.mean(), st.invStd(), null, null);
        KernelTesting.onBothPaths(path -> {
            Tensor t = LayerNormKernels.project(xDot, out.xhat(), st.invStd(), null);
            for (int k = 0; k < n; k++) assertEquals((hp[k] - hm[k]) / (2 * h), t.at(k), 2e-5, "tangent[" + k + "] " + path);
        });
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        Random rng = new Random(3);
        int rows = 3000, cols = 67, n = rows * cols;
        float[] x = KernelTesting.gaussian(rng, n, 1), g = KernelTesting.gaussian(rng, n, 1);
        float[] gamma = KernelTesting.gaussian(rng, cols, 1);
        KernelTesting.onBothPaths(path -> {
            float[][] one = KernelTesting.withThreads(1, () -> run(x, g, gamma, rows, cols));
            float[][] two = KernelTesting.withThreads(2, () -> run(x, g, gamma, rows, cols));
            for (int k = 0; k < one.length; k++) KernelTesting.assertSameValues("threads #" + k + " " + path, one[k], two[k]);
        });
    }

    private static float[][] run(float[] x, float[] g, float[] gamma, int rows, int cols) {
        int n = rows * cols;
        float[] mean = new float[rows], var = new float[rows], is = new float[rows], xhat = new float[n], y = new float[n];
        float[] gx = new float[n], gg = new float[cols], gb = new float[cols];
        LayerNormKernels.stats(x, 0, rows, cols, EPS, mean, var, is);
        LayerNormKernels.apply(x, 0, rows, cols, mean, is, gamma, gamma, xhat, 0, y, 0);
        LayerNormKernels.backward(g, 0, xhat, 0, rows, cols, is, gamma, gx, 0, gg, gb);
        return new float[][] {mean, var, is, xhat, y, gx, gg, gb};
    }

    @Test
    void tensorOverloadsCheckShapes() {
        Tensor x = Tensor.randn(new Random(4), 1f, 2, 3, 8);
        Norms.Stats st = LayerNormKernels.stats(x, EPS);
        assertTrue(st.mean().hasShape(2, 3));
        Tensor gamma = Tensor.full(2f, 8);
        Norms.Output out = LayerNormKernels.apply(x, st.mean(), st.invStd(), gamma, null);
        assertEquals(2 * out.xhat().get(1, 2, 3), out.y().get(1, 2, 3));
        Norms.Grads gr = LayerNormKernels.backward(x, out.xhat(), st.invStd(), gamma);
        assertTrue(gr.gGamma().hasShape(8) && gr.gBeta().hasShape(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerNormKernels.apply(x, st.mean(), st.invStd(), Tensor.zeros(3), null));
        assertTrue(e.getMessage().contains("layerNorm.apply") && e.getMessage().contains("[3]")
                && e.getMessage().contains("[2, 3, 8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerNormKernels.apply(x, Tensor.zeros(6), st.invStd(), null, null));
        assertTrue(e.getMessage().contains("[6]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerNormKernels.project(x, Tensor.zeros(2, 24), st.invStd(), null));
        assertTrue(e.getMessage().contains("[2, 3, 8]") && e.getMessage().contains("[2, 24]"), e.getMessage());
    }
}
