package dev.apoptosis.tensor.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cross-entropy loss and gradient against a double reference and finite differences of it. */
class CrossEntropyKernelsTest {
    /** Mean over rows of -Σ_c t_c log softmax(z)_c with t = (1-ε) onehot + ε/C, in double. */
    static double lossRef(double[] z, int[] labels, int n, int c, double eps) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] zr = java.util.Arrays.copyOfRange(z, i * c, (i + 1) * c);
            double lse = SoftmaxKernelsTest.lseRef(zr);
            for (int j = 0; j < c; j++) {
                double t = (j == labels[i] ? 1 - eps : 0) + eps / c;
                total -= t * (zr[j] - lse);
            }
        }
        return total / n;
    }

    @Test
    void lossAndGradientMatchDoubleReferenceAndFiniteDifferences() {
        Random rng = new Random(1);
        for (int c : new int[] {1, 2, 3, 10, 17, 100}) {
            for (float eps : new float[] {0f, 0.1f, 1f}) {
                int n = 7;
                float[] z = KernelTesting.gaussian(rng, n * c + 1, 3);
                int[] labels = new int[n + 2];
                for (int i = 0; i < n; i++) labels[2 + i] = rng.nextInt(c);
                int[] lab = java.util.Arrays.copyOfRange(labels, 2, 2 + n);
                double[] zd = new double[n * c];
                for (int k = 0; k < n * c; k++) zd[k] = z[1 + k];
                double ref = lossRef(zd, lab, n, c, eps);
                KernelTesting.onBothPaths(path -> {
                    float[] p = new float[n * c], g = new float[n * c];
                    double loss = CrossEntropyKernels.forward(z, 1, labels, 2, n, c, eps, p, 0);
                    String at = "C=" + c + " eps=" + eps + " " + path;
                    assertEquals(ref, loss, 1e-6 * Math.abs(ref) + 1e-7, "loss " + at);
                    CrossEntropyKernels.backward(p, 0, labels, 2, n, c, eps, g, 0);
                    for (int k = 0; k < n * c; k++) {
                        double h = 1e-6;
                        double[] zp = zd.clone(), zm = zd.clone();
                        zp[k] += h;
                        zm[k] -= h;
                        double fd = (lossRef(zp, lab, n, c, eps) - lossRef(zm, lab, n, c, eps)) / (2 * h);
                        assertEquals(fd, g[k], 1e-6, "grad[" + k + "] " + at);
                    }
                });
            }
        }
    }

    @Test
    void rejectsBadLabelsAndSmoothing() {
        float[] z = new float[6], p = new float[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossEntropyKernels.forward(z, 0, new int[] {0, 3}, 0, 2, 3, 0f, p, 0));
        assertTrue(e.getMessage().contains("label 3") && e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyKernels.forward(z, 0, new int[] {0, -1}, 0, 2, 3, 0f, p, 0));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyKernels.forward(z, 0, new int[] {0, 1}, 0, 2, 3, 1.5f, p, 0));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyKernels.forward(Tensor.zeros(2, 3), new int[] {0}, 0f));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyKernels.forward(Tensor.zeros(2, 3, 1), new int[] {0, 1}, 0f));
    }

    @Test
    void tensorOverloadsAndThreadIndependence() {
        Random rng = new Random(2);
        int n = 5000, c = 13;
        Tensor z = Tensor.randn(rng, 2f, n, c);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rng.nextInt(c);
        KernelTesting.onBothPaths(path -> {
            CrossEntropyKernels.Result one = KernelTesting.withThreads(1, () -> CrossEntropyKernels.forward(z, labels, 0.1f));
            CrossEntropyKernels.Result two = KernelTesting.withThreads(2, () -> CrossEntropyKernels.forward(z, labels, 0.1f));
            assertEquals(one.loss(), two.loss(), 0.0, path);
            KernelTesting.assertSameValues("probs " + path, one.probs().toArray(), two.probs().toArray());
            Tensor g1 = KernelTesting.withThreads(1, () -> CrossEntropyKernels.backward(one.probs(), labels, 0.1f));
            Tensor g2 = KernelTesting.withThreads(2, () -> CrossEntropyKernels.backward(one.probs(), labels, 0.1f));
            KernelTesting.assertSameValues("grad " + path, g1.toArray(), g2.toArray());
            double rowSum = 0;
            for (int j = 0; j < c; j++) rowSum += g1.get(3, j);
            assertEquals(0, rowSum, 1e-8, "gradient rows sum to zero");
        });
    }
}
