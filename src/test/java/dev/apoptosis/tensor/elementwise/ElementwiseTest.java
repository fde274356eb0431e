package dev.apoptosis.tensor.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Elementwise kernels against plain loops: both paths, awkward sizes and offsets, threads, shape errors. */
class ElementwiseTest {
    private static final float S = 777f;

    @FunctionalInterface
    private interface Kernel {
        void run(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);
    }

    @FunctionalInterface
    private interface Ref {
        float apply(float a, float b, float y);
    }

    /** Runs the kernel on windows at offsets 2, 1, 3 and compares with ref(a, b, out-before) elementwise. */
    private static void check(String name, Kernel k, Ref ref) {
        Random rng = new Random(name.hashCode());
        for (int n : KernelTesting.SIZES) {
            float[] a = KernelTesting.gaussian(rng, n + 2, 2), b = KernelTesting.gaussian(rng, n + 1, 2);
            float[] y0 = KernelTesting.gaussian(rng, n + 5, 2);
            y0[0] = y0[1] = y0[2] = S;
            y0[n + 3] = y0[n + 4] = S;
            float[] expected = y0.clone();
            for (int i = 0; i < n; i++) expected[3 + i] = ref.apply(a[2 + i], b[1 + i], y0[3 + i]);
            KernelTesting.onBothPaths(path -> {
                float[] y = y0.clone();
                k.run(a, 2, b, 1, y, 3, n);
                KernelTesting.assertSameValues(name + " n=" + n + " " + path, expected, y);
            });
        }
    }

    @Test
    void binaryAndInPlaceKernelsMatchPlainLoops() {
        check("add", Elementwise::add, (a, b, y) -> a + b);
        check("sub", Elementwise::sub, (a, b, y) -> a - b);
        check("mul", Elementwise::mul, (a, b, y) -> a * b);
        check("mulAdd", Elementwise::mulAdd, (a, b, y) -> y + a * b);
        check("scale", (a, ao, b, bo, y, yo, n) -> Elementwise.scale(-1.7f, a, ao, y, yo, n), (a, b, y) -> -1.7f * a);
        check("axpy", (a, ao, b, bo, y, yo, n) -> Elementwise.axpy(0.3f, a, ao, y, yo, n), (a, b, y) -> y + 0.3f * a);
        check("addInPlace", (a, ao, b, bo, y, yo, n) -> Elementwise.addInPlace(a, ao, y, yo, n), (a, b, y) -> y + a);
    }

    @Test
    void perChannelBroadcastsMatchPlainLoops() {
        Random rng = new Random(9);
        int[][] shapes = {{1, 1, 1}, {2, 3, 1}, {5, 17, 1}, {3, 33, 1}, {2, 3, 15}, {2, 5, 17}, {1, 4, 257}, {3, 2, 31}};
        for (int[] sh : shapes) {
            int outer = sh[0], channels = sh[1], inner = sh[2], n = outer * channels * inner;
            float[] x = KernelTesting.gaussian(rng, n + 1, 2), v = KernelTesting.gaussian(rng, channels, 2);
            float[] eAdd = new float[n], eMul = new float[n];
            for (int i = 0; i < n; i++) {
                int c = (i / inner) % channels;
                eAdd[i] = x[1 + i] + v[c];
                eMul[i] = x[1 + i] * v[c];
            }
            KernelTesting.onBothPaths(path -> {
                float[] add = new float[n], mul = new float[n];
                Elementwise.addPerChannel(x, 1, v, add, 0, outer, channels, inner);
                Elementwise.mulPerChannel(x, 1, v, mul, 0, outer, channels, inner);
                KernelTesting.assertSameValues("addPerChannel " + Arrays.toString(sh) + " " + path, eAdd, add);
                KernelTesting.assertSameValues("mulPerChannel " + Arrays.toString(sh) + " " + path, eMul, mul);
            });
        }
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        Random rng = new Random(10);
        int n = 4 * Kernels.GRAIN_CHEAP + 17;
        float[] a = KernelTesting.gaussian(rng, n, 1), b = KernelTesting.gaussian(rng, n, 1);
        KernelTesting.onBothPaths(path -> {
            float[] one = KernelTesting.withThreads(1, () -> {
                float[] y = b.clone();
                Elementwise.mulAdd(a, 0, b, 0, y, 0, n);
                Elementwise.axpy(0.25f, a, 0, y, 0, n);
                return y;
            });
            float[] two = KernelTesting.withThreads(2, () -> {
                float[] y = b.clone();
                Elementwise.mulAdd(a, 0, b, 0, y, 0, n);
                Elementwise.axpy(0.25f, a, 0, y, 0, n);
                return y;
            });
            KernelTesting.assertSameValues("threads " + path, one, two);
        });
    }

    @Test
    void tensorOverloadsBroadcastOnlyWhenAskedAndNameBothShapes() {
        Random rng = new Random(11);
        Tensor x = Tensor.randn(rng, 1f, 2, 3, 4), y = Tensor.randn(rng, 1f, 2, 3, 4);
        Tensor sum = Elementwise.add(x, y);
        for (int i = 0; i < 24; i++) assertEquals(x.at(i) + y.at(i), sum.at(i));
        Tensor bias = Tensor.randn(rng, 1f, 3);
        Tensor pc = Elementwise.addPerChannel(x, bias);
        assertEquals(x.get(1, 2, 3) + bias.at(2), pc.get(1, 2, 3));
        Tensor row = Tensor.randn(rng, 1f, 4);
        Tensor rv = Elementwise.mulRowVector(x, row);
        assertEquals(x.get(1, 2, 3) * row.at(3), rv.get(1, 2, 3));
        Tensor rb = Elementwise.addRowVector(x, row);
        assertEquals(x.get(0, 1, 2) + row.at(2), rb.get(0, 1, 2));
        Tensor slice = Tensor.randn(rng, 1f, 4, 4).slice0(1, 3);
        Tensor biasView = Tensor.randn(rng, 1f, 6).slice0(2, 6);
        Tensor sv = Elementwise.addRowVector(slice, biasView);
        assertEquals(slice.get(1, 3) + biasView.at(3), sv.get(1, 3));

        Tensor other = Tensor.zeros(2, 4, 3);
        for (Runnable r : new Runnable[] {() -> Elementwise.add(x, other), () -> Elementwise.sub(x, other),
            () -> Elementwise.mul(x, other), () -> Elementwise.axpy(1f, x, other), () -> Elementwise.addInPlace(x, other),
            () -> Elementwise.mulAdd(x, x, other)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("[2, 3, 4]") && e.getMessage().contains("[2, 4, 3]"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Elementwise.addPerChannel(x, row));
        assertTrue(e.getMessage().startsWith("addPerChannel") && e.getMessage().contains("[2, 3, 4]")
                && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Elementwise.addRowVector(x, bias));
        assertTrue(e.getMessage().startsWith("addRowVector") && e.getMessage().contains("[3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Elementwise.add(new float[4], 0, new float[4], 1, new float[4], 0, 4));
    }
}
