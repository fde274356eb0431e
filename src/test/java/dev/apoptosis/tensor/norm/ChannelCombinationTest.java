package dev.apoptosis.tensor.norm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ChannelCombination against a plain loop: both paths, both layouts, null terms, offsets, threads, errors. */
class ChannelCombinationTest {
    private static final float S = 777f;

    /** out = c0 + Σ a_k t_k with one fused multiply-add per term in order: the kernel's exact arithmetic. */
    private static float[] reference(int outer, int channels, int inner, float[] c0, float[][] a, float[][] t, int[] to,
                                     int outOff, int outLen) {
        float[] out = new float[outLen];
        java.util.Arrays.fill(out, S);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < inner; i++) {
                    int at = (o * channels + c) * inner + i;
                    float v = c0 == null ? 0f : c0[c];
                    for (int k = 0; k < t.length; k++) if (t[k] != null) v = Math.fma(a[k][c], t[k][to[k] + at], v);
                    out[outOff + at] = v;
                }
            }
        }
        return out;
    }

    @Test
    void matchesThePlainLoopBitForBitOnBothPathsAndLayouts() {
        Random rng = new Random(4);
        int[][] shapes = {{1, 1, 1}, {3, 5, 1}, {4, 33, 1}, {2, 3, 15}, {2, 5, 17}, {1, 4, 257}, {3, 2, 1031}};
        for (int[] sh : shapes) {
            int outer = sh[0], channels = sh[1], inner = sh[2], n = outer * channels * inner;
            for (int mask = 0; mask < 16; mask++) {
                boolean withConstant = (mask & 8) != 0;
                float[][] t = new float[3][], a = new float[3][];
                int[] to = {1, 2, 0};
                for (int k = 0; k < 3; k++) {
                    a[k] = KernelTesting.gaussian(rng, channels, 1.5);
                    if ((mask & (1 << k)) != 0) t[k] = KernelTesting.gaussian(rng, n + to[k], 2);
                }
                float[] c0 = withConstant ? KernelTesting.gaussian(rng, channels, 1) : null;
                float[] expected = reference(outer, channels, inner, c0, a, t, to, 3, n + 5);
                String what = "shape " + java.util.Arrays.toString(sh) + " terms " + mask;
                KernelTesting.onBothPaths(path -> {
                    float[] out = new float[n + 5];
                    java.util.Arrays.fill(out, S);
                    ChannelCombination.combine(outer, channels, inner, c0, a, t, to, out, 3);
                    KernelTesting.assertSameValues(what + " " + path, expected, out);
                });
            }
        }
    }

    /** The on-the-fly x̂ = (x − μ)·s term gives exactly what a stored x̂ (BatchNormKernels.apply's) gives. */
    @Test
    void normalisedTermEqualsAStoredNormalisedInputBitForBit() {
        Random rng = new Random(6);
        for (int[] sh : new int[][] {{3, 5, 1}, {4, 33, 1}, {2, 3, 15}, {3, 2, 1031}, {64, 8, 64}}) {
            int outer = sh[0], channels = sh[1], inner = sh[2], n = outer * channels * inner;
            float[] x = KernelTesting.gaussian(rng, n + 1, 3), t = KernelTesting.gaussian(rng, n, 2);
            float[] mean = KernelTesting.gaussian(rng, channels, 1), scale = KernelTesting.uniform(rng, channels, 0.2, 3);
            float[] c0 = KernelTesting.gaussian(rng, channels, 1), a = KernelTesting.gaussian(rng, channels, 1);
            float[] b = KernelTesting.gaussian(rng, channels, 1);
            // One term plus the normalised one is BatchNorm's input adjoint, which has its own one-pass loop.
            for (float[] constant : new float[][] {c0, null}) {
                KernelTesting.onBothPaths(path -> {
                    float[] xhat = new float[n], y = new float[n];
                    BatchNormKernels.apply(x, 1, outer, channels, inner, mean, scale, null, null, xhat, 0, y, 0);
                    float[] stored = new float[n];
                    ChannelCombination.combine(outer, channels, inner, constant, new float[][] {a, b}, new float[][] {t, xhat},
                            new int[] {0, 0}, stored, 0);
                    for (int threads : new int[] {1, 2}) {
                        float[] onTheFly = KernelTesting.withThreads(threads, () -> {
                            float[] o = new float[n];
                            ChannelCombination.combine(outer, channels, inner, constant, new float[][] {a}, new float[][] {t},
                                    new int[] {0}, new ChannelCombination.Normalized(x, 1, mean, scale), b, o, 0);
                            return o;
                        });
                        KernelTesting.assertSameValues(java.util.Arrays.toString(sh) + " " + path + " constant " + (constant != null)
                                + ", " + threads + " thread(s)", stored, onTheFly);
                    }
                });
            }
        }
    }

    @Test
    void resultDoesNotDependOnTheThreadCountAndTheTensorFormChecksShapes() {
        Random rng = new Random(5);
        int[] shape = {16, 8, 9, 9};
        Tensor x = Tensor.randn(rng, 1f, shape), y = Tensor.randn(rng, 1f, shape);
        float[] c0 = KernelTesting.gaussian(rng, 8, 1), a = KernelTesting.gaussian(rng, 8, 1), b = KernelTesting.gaussian(rng, 8, 1);
        float[] one = KernelTesting.withThreads(1, () -> ChannelCombination.combine(shape, c0, new float[][] {a, b}, x, y).toArray());
        float[] two = KernelTesting.withThreads(2, () -> ChannelCombination.combine(shape, c0, new float[][] {a, b}, x, y).toArray());
        KernelTesting.assertSameValues("1 vs 2 threads", one, two);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelCombination.combine(shape, null, new float[][] {a}, Tensor.zeros(16, 8, 9, 8)));
        assertTrue(e.getMessage().contains("channelCombination") && e.getMessage().contains("[16, 8, 9, 8]")
                && e.getMessage().contains("[16, 8, 9, 9]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ChannelCombination.combine(2, 8, 3, null, new float[][] {new float[7]}, new float[][] {new float[48]},
                        new int[] {0}, new float[48], 0));
    }
}
