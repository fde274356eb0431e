package dev.apoptosis.tensor.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * The checks every activation's kernels must pass: array kernels equal the scalar functions bit
 * for bit on both code paths, at awkward sizes and offsets, without touching memory outside the
 * window; 1 and 2 threads agree bit for bit; tensor overloads reject mismatched shapes; and the
 * scalar derivatives agree with central finite differences of the double reference.
 */
final class ActivationContract {
    interface Scalar {
        float apply(float x);
    }

    interface Forward {
        void run(float[] x, int xo, float[] y, int yo, int n);
    }

    interface Backward {
        void run(float[] x, int xo, float[] v, int vo, float[] out, int oo, int n);
    }

    interface RBackward {
        void run(float[] x, int xo, float[] g, int go, float[] gd, int gdo, float[] xd, int xdo, float[] out, int oo, int n);
    }

    interface TensorBackward {
        Tensor run(Tensor x, Tensor v);
    }

    interface TensorRBackward {
        Tensor run(Tensor x, Tensor g, Tensor gd, Tensor xd);
    }

    final String name;
    final Scalar value, d1, d2;
    final Forward forward;
    final Backward backward;
    final RBackward rBackward;
    final Function<Tensor, Tensor> tensorForward;
    final TensorBackward tensorBackward;
    final TensorRBackward tensorRBackward;

    /** The contract of the kernels {@code k}, checked against their own scalar functions. */
    ActivationContract(ActivationKernels k) {
        this.name = k.name();
        this.value = k::value;
        this.d1 = k::derivative;
        this.d2 = k::secondDerivative;
        this.forward = k::forward;
        this.backward = k::backward;
        this.rBackward = k::rBackward;
        this.tensorForward = k::forward;
        this.tensorBackward = k::backward;
        this.tensorRBackward = k::rBackward;
    }

    private static final float SENTINEL = 12345.678f;

    private static float[] padded(float[] values, int off, int extra) {
        float[] a = new float[off + values.length + extra];
        Arrays.fill(a, SENTINEL);
        System.arraycopy(values, 0, a, off, values.length);
        return a;
    }

    private static void assertWindow(String what, float[] expected, float[] out, int off) {
        for (int i = 0; i < off; i++) assertEquals(SENTINEL, out[i], what + ": wrote before the window at " + i);
        for (int i = off + expected.length; i < out.length; i++) {
            assertEquals(SENTINEL, out[i], what + ": wrote after the window at " + i);
        }
        KernelTesting.assertSameValues(what, expected, Arrays.copyOfRange(out, off, off + expected.length));
    }

    void kernelsMatchScalarFunctionsOnBothPaths() {
        Random rng = new Random(name.hashCode());
        for (int n : KernelTesting.SIZES) {
            for (int off : new int[] {0, 3}) {
                float[] x = KernelTesting.gaussian(rng, n, 4);
                for (int i = 0; i < Math.min(n, KernelTesting.SPECIAL.length); i++) {
                    x[(i * 7) % n] = KernelTesting.SPECIAL[(i + n) % KernelTesting.SPECIAL.length];
                }
                float[] g = KernelTesting.gaussian(rng, n, 1), gd = KernelTesting.gaussian(rng, n, 1);
                float[] xd = KernelTesting.gaussian(rng, n, 1);
                float[] eY = new float[n], eB = new float[n], eR = new float[n];
                for (int i = 0; i < n; i++) {
                    eY[i] = value.apply(x[i]);
                    eB[i] = d1.apply(x[i]) * g[i];
                    // the kernels' defined evaluation: φ'·ġ fused with the rounded (φ''·ẋ)·g
                    eR[i] = Math.fma(d1.apply(x[i]), gd[i], (d2.apply(x[i]) * xd[i]) * g[i]);
                }
                float[] px = padded(x, off, 2), pg = padded(g, off + 1, 0), pgd = padded(gd, 0, 1), pxd = padded(xd, 2, 0);
                String at = name + " n=" + n + " off=" + off;
                KernelTesting.onBothPaths(path -> {
                    float[] y = padded(new float[n], off, 2);
                    forward.run(px, off, y, off, n);
                    assertWindow(at + " forward " + path, eY, y, off);
                    float[] b = padded(new float[n], 1, 1);
                    backward.run(px, off, pg, off + 1, b, 1, n);
                    assertWindow(at + " backward " + path, eB, b, 1);
                    float[] r = padded(new float[n], 0, 3);
                    rBackward.run(px, off, pg, off + 1, pgd, 0, pxd, 2, r, 0, n);
                    assertWindow(at + " rBackward " + path, eR, r, 0);
                });
            }
        }
    }

    void inPlaceForwardWorks() {
        Random rng = new Random(3);
        float[] x = KernelTesting.gaussian(rng, 100, 3);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) expected[i] = value.apply(x[i]);
        forward.run(x, 0, x, 0, x.length);
        KernelTesting.assertSameValues(name + " in place", expected, x);
    }

    void oneAndTwoThreadsAreBitIdentical() {
        Random rng = new Random(17);
        int n = 100_003;
        float[] x = KernelTesting.gaussian(rng, n, 4), g = KernelTesting.gaussian(rng, n, 1);
        float[] gd = KernelTesting.gaussian(rng, n, 1), xd = KernelTesting.gaussian(rng, n, 1);
        KernelTesting.onBothPaths(path -> {
            float[][] one = KernelTesting.withThreads(1, () -> runAll(x, g, gd, xd));
            float[][] two = KernelTesting.withThreads(2, () -> runAll(x, g, gd, xd));
            for (int k = 0; k < one.length; k++) KernelTesting.assertSameValues(name + " threads " + path + " #" + k, one[k], two[k]);
        });
    }

    private float[][] runAll(float[] x, float[] g, float[] gd, float[] xd) {
        int n = x.length;
        float[] y = new float[n], b = new float[n], r = new float[n];
        forward.run(x, 0, y, 0, n);
        backward.run(x, 0, g, 0, b, 0, n);
        rBackward.run(x, 0, g, 0, gd, 0, xd, 0, r, 0, n);
        return new float[][] {y, b, r};
    }

    void tensorOverloadsCheckShapes() {
        Tensor x = Tensor.randn(new Random(1), 1f, 2, 3);
        Tensor bad = Tensor.zeros(3, 2);
        Tensor y = tensorForward.apply(x);
        assertTrue(y.hasShape(2, 3));
        for (int i = 0; i < 6; i++) assertEquals(value.apply(x.at(i)), y.at(i));
        Tensor view = Tensor.randn(new Random(2), 1f, 4, 3).slice0(1, 3);
        Tensor yv = tensorForward.apply(view);
        for (int i = 0; i < 6; i++) assertEquals(value.apply(view.at(i)), yv.at(i), "view input");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tensorBackward.run(x, bad));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tensorRBackward.run(x, x, x, bad));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("[3, 2]"), e.getMessage());
        Tensor b = tensorBackward.run(x, x);
        for (int i = 0; i < 6; i++) assertEquals(d1.apply(x.at(i)) * x.at(i), b.at(i));
        assertThrows(IllegalArgumentException.class, () -> forward.run(new float[3], 0, new float[3], 1, 3));
    }

    /**
     * d1 and d2 against central differences (h = 1e-5) of the double reference and its derivative,
     * with tolerance rtol·|exact| + atol·scale where scale bounds the terms that cancel near roots.
     */
    void derivativesMatchFiniteDifferences(DoubleUnaryOperator ref, DoubleUnaryOperator refD1, float lo, float hi,
                                           double rtol, double atol) {
        int points = 4001;
        for (int i = 0; i < points; i++) {
            float x = lo + (hi - lo) * i / (points - 1);
            double fd1 = ReferenceMath.centralDifference(ref, x, 1e-5);
            double fd2 = ReferenceMath.centralDifference(refD1, x, 1e-5);
            float a1 = d1.apply(x), a2 = d2.apply(x);
            assertTrue(Math.abs(a1 - fd1) <= rtol * Math.abs(fd1) + atol, name + "'(" + x + ") = " + a1 + ", FD " + fd1);
            assertTrue(Math.abs(a2 - fd2) <= rtol * Math.abs(fd2) + atol, name + "''(" + x + ") = " + a2 + ", FD " + fd2);
        }
    }

    /**
     * Worst error in ulps of the scalar function against a double reference on [lo, hi]; where
     * the exact value is subnormal only an absolute error of 16·max(1, |x|) subnormal steps is
     * required (a subnormal intermediate times x).
     */
    double worstUlps(Scalar f, DoubleUnaryOperator ref, float lo, float hi, int points) {
        double worst = 0;
        for (int i = 0; i < points; i++) {
            float x = lo + (hi - lo) * i / (points - 1);
            double e = ref.applyAsDouble(x);
            float a = f.apply(x);
            if (Math.abs(e) < Float.MIN_NORMAL) {
                assertTrue(Math.abs(a - e) <= 16 * Float.MIN_VALUE * Math.max(1, Math.abs(x)), name + " at " + x + ": " + a + " vs " + e);
                continue;
            }
            worst = Math.max(worst, ReferenceMath.ulpError(a, e));
        }
        return worst;
    }
}
