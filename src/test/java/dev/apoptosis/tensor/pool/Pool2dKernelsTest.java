package dev.apoptosis.tensor.pool;

import static dev.apoptosis.testing.Assertions2.assertBitIdentical;
import static dev.apoptosis.testing.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.PoolGeometry;
import dev.apoptosis.testing.Fixtures;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Pool2dKernels} against plain window loops written here, in double precision. */
class Pool2dKernelsTest {

    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreDefaults() {
        Simd.setForceScalar(false);
        Parallel.setThreads(savedThreads);
    }

    private static PoolGeometry.Builder pool(int n, int c, int h, int w, int k) {
        return PoolGeometry.builder().batch(n).input(c, h, w).kernel(k);
    }

    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of("all size 1", pool(1, 1, 1, 1, 1).build()),
                Arguments.of("2x2 default stride", pool(2, 3, 8, 6, 2).build()),
                Arguments.of("odd input 2x2", pool(2, 2, 7, 9, 2).build()),
                Arguments.of("3x3 stride 2 pad 1", pool(2, 3, 9, 8, 3).stride(2).padding(1).build()),
                Arguments.of("3x3 stride 1 pad 1", pool(1, 2, 5, 7, 3).stride(1).padding(1).build()),
                Arguments.of("primes rectangular", pool(3, 5, 11, 13, 3).kernel(3, 2).stride(2, 3).padding(1, 1).build()),
                Arguments.of("overlapping stride 1", pool(2, 2, 6, 6, 4).stride(1).padding(2).build()),
                Arguments.of("kernel = image", pool(2, 3, 5, 5, 5).build()));
    }

    static Stream<Arguments> dilatedGeometries() {
        return Stream.concat(geometries(), Stream.of(
                Arguments.of("dilation 2", pool(2, 3, 9, 10, 3).stride(1).padding(1).dilation(2).build()),
                Arguments.of("dilation 2x3 stride 2", pool(1, 2, 11, 12, 2).stride(2).padding(1).dilation(2, 3).build())));
    }

    private static Tensor randn(Random rng, int... shape) {
        return Tensor.randn(rng, 1f, shape);
    }

    /** Reference max pooling: value and in-plane index per output, ties to the first, NaN wins. */
    private static float[] refMax(PoolGeometry g, Tensor x, int[] idx) {
        int oh = g.outH(), ow = g.outW();
        float[] y = new float[g.outputSize()];
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.channels(); c++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int where = -1;
                        for (int i = 0; i < g.kernelH(); i++) {
                            for (int j = 0; j < g.kernelW(); j++) {
                                int ih = r * g.strideH() - g.padH() + i * g.dilationH();
                                int iw = q * g.strideW() - g.padW() + j * g.dilationW();
                                if (ih < 0 || ih >= g.inH() || iw < 0 || iw >= g.inW()) continue;
                                float v = x.get(n, c, ih, iw);
                                if (where == -1 || v > best || Float.isNaN(v)) {
                                    best = v;
                                    where = ih * g.inW() + iw;
                                }
                            }
                        }
                        int o = ((n * g.channels() + c) * oh + r) * ow + q;
                        y[o] = best;
                        idx[o] = where;
                    }
                }
            }
        }
        return y;
    }

    /** Reference average pooling and its gradient (spread of each output's share over its window). */
    private static double[][] refAvg(PoolGeometry g, Tensor x, Tensor gy, boolean includePad) {
        int oh = g.outH(), ow = g.outW();
        double[] y = new double[g.outputSize()];
        double[] gx = new double[x.size()];
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.channels(); c++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        int o = ((n * g.channels() + c) * oh + r) * ow + q;
                        double s = 0;
                        int inside = 0;
                        for (int i = 0; i < g.kernelH(); i++) {
                            for (int j = 0; j < g.kernelW(); j++) {
                                int ih = r * g.strideH() - g.padH() + i, iw = q * g.strideW() - g.padW() + j;
                                if (ih < 0 || ih >= g.inH() || iw < 0 || iw >= g.inW()) continue;
                                s += x.get(n, c, ih, iw);
                                inside++;
                            }
                        }
                        int div = includePad ? g.kernelH() * g.kernelW() : inside;
                        y[o] = s / div;
                        for (int i = 0; i < g.kernelH(); i++) {
                            for (int j = 0; j < g.kernelW(); j++) {
                                int ih = r * g.strideH() - g.padH() + i, iw = q * g.strideW() - g.padW() + j;
                                if (ih < 0 || ih >= g.inH() || iw < 0 || iw >= g.inW()) continue;
                                gx[((n * g.channels() + c) * g.inH() + ih) * g.inW() + iw] += gy.at(o) / (double) div;
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {y, gx};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dilatedGeometries")
    void maxPoolMatchesReference(String name, PoolGeometry g) {
        Random rng = new Random(name.hashCode());
        Tensor x = randn(rng, g.inputShape()), gy = randn(rng, g.outputShape()), xDot = randn(rng, g.inputShape());
        int[] refIdx = new int[g.outputSize()];
        float[] refY = refMax(g, x, refIdx);
        int[] argmax = new int[g.outputSize()];
        Tensor y = Pool2dKernels.maxForward(g, x, argmax);
        assertArrayEquals(g.outputShape(), y.shape());
        assertBitIdentical(name + " max values", refY, y.toArray());
        assertArrayEquals(refIdx, argmax, name + " argmax");

        int hw = g.inH() * g.inW(), p = g.outH() * g.outW();
        double[] gx = new double[x.size()];
        float[] yDot = new float[g.outputSize()];
        for (int o = 0; o < argmax.length; o++) {
            int plane = o / p;
            gx[plane * hw + refIdx[o]] += gy.at(o);
            yDot[o] = xDot.at(plane * hw + refIdx[o]);
        }
        assertClose(name + " max backward", gx, Pool2dKernels.maxBackward(g, gy, argmax).data(), 0, 1e-6, 1e-6);
        assertBitIdentical(name + " max tangent", yDot, Pool2dKernels.gatherAtArgmax(g, xDot, argmax).toArray());

        Tensor acc = randn(rng, g.inputShape());
        double[] expected = new double[gx.length];
        for (int i = 0; i < gx.length; i++) expected[i] = acc.at(i) + gx[i];
        Pool2dKernels.maxBackwardInto(g, gy, argmax, acc, true);
        assertClose(name + " max backward accumulate", expected, acc.data(), 0, 1e-6, 1e-6);
        Tensor over = Tensor.full(Float.NaN, g.inputShape());
        Pool2dKernels.maxBackwardInto(g, gy, argmax, over, false);
        assertClose(name + " max backward overwrite", gx, over.data(), 0, 1e-6, 1e-6);

        assertBitIdentical(name + " max without argmax", refY, Pool2dKernels.maxForward(g, x, null).toArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void avgPoolMatchesReference(String name, PoolGeometry g) {
        Random rng = new Random(~name.hashCode());
        Tensor x = randn(rng, g.inputShape()), gy = randn(rng, g.outputShape());
        for (boolean includePad : new boolean[] {true, false}) {
            double[][] ref = refAvg(g, x, gy, includePad);
            String what = name + (includePad ? " count_include_pad" : " exclude pad");
            assertClose(what + " avg forward", ref[0], Pool2dKernels.avgForward(g, x, includePad).data(), 0, 1e-6, 1e-6);
            assertClose(what + " avg backward", ref[1], Pool2dKernels.avgBackward(g, gy, includePad).data(), 0, 1e-6, 1e-6);
            Tensor acc = randn(rng, g.inputShape());
            double[] expected = new double[ref[1].length];
            for (int i = 0; i < expected.length; i++) expected[i] = acc.at(i) + ref[1][i];
            Pool2dKernels.avgBackwardInto(g, gy, acc, includePad, true);
            assertClose(what + " avg backward accumulate", expected, acc.data(), 0, 1e-6, 1e-6);
            Tensor over = Tensor.full(Float.NaN, g.inputShape());
            Pool2dKernels.avgBackwardInto(g, gy, over, includePad, false);
            assertClose(what + " avg backward overwrite", ref[1], over.data(), 0, 1e-6, 1e-6);
        }
        double[][] dflt = refAvg(g, x, gy, true);
        assertClose(name + " avg default includes padding", dflt[0], Pool2dKernels.avgForward(g, x).data(), 0, 1e-6, 1e-6);
        assertClose(name + " avg backward default", dflt[1], Pool2dKernels.avgBackward(g, gy).data(), 0, 1e-6, 1e-6);
    }

    @Test
    void globalAveragePoolMatchesReference() {
        Random rng = new Random(5);
        for (int[] s : new int[][] {{1, 1, 1, 1}, {3, 5, 7, 3}, {2, 4, 8, 8}}) {
            Tensor x = randn(rng, s), gy = randn(rng, s[0], s[1]);
            double[] y = new double[s[0] * s[1]];
            double[] gx = new double[x.size()];
            int hw = s[2] * s[3];
            for (int plane = 0; plane < y.length; plane++) {
                for (int i = 0; i < hw; i++) y[plane] += x.at(plane * hw + i) / (double) hw;
                for (int i = 0; i < hw; i++) gx[plane * hw + i] = gy.at(plane) / (double) hw;
            }
            Tensor out = Pool2dKernels.globalAvgForward(x);
            assertArrayEquals(new int[] {s[0], s[1]}, out.shape());
            assertClose("global avg forward", y, out.data(), 0, 1e-6, 1e-6);
            Tensor g = Pool2dKernels.globalAvgBackward(gy, s[2], s[3]);
            assertArrayEquals(s, g.shape());
            assertClose("global avg backward", gx, g.data(), 0, 1e-6, 1e-6);
            Tensor acc = randn(rng, s);
            double[] expected = new double[gx.length];
            for (int i = 0; i < gx.length; i++) expected[i] = acc.at(i) + gx[i];
            Pool2dKernels.globalAvgBackwardInto(gy, acc, true);
            assertClose("global avg backward accumulate", expected, acc.data(), 0, 1e-6, 1e-6);
        }
    }

    @Test
    void maxPoolTiesNanAndPaddingFollowPyTorch() {
        PoolGeometry g = pool(1, 1, 4, 4, 3).stride(1).padding(1).build();
        int[] argmax = new int[g.outputSize()];
        Tensor y = Pool2dKernels.maxForward(g, Tensor.full(-5f, g.inputShape()), argmax);
        assertEquals(-5f, y.at(0), "padding is -inf, never 0");
        assertEquals(0, argmax[0], "ties keep the first in-image position of the window");
        assertEquals(0, argmax[5], "window of output (1,1) starts at input (0,0)");
        assertEquals(1 * 4 + 1, argmax[10], "window of output (2,2) starts at input (1,1)");

        Tensor x = Tensor.zeros(g.inputShape());
        x.set(Float.NaN, 0, 0, 1, 1);
        x.set(7f, 0, 0, 1, 2);
        Tensor yn = Pool2dKernels.maxForward(g, x, argmax);
        assertTrue(Float.isNaN(yn.at(0)), "NaN wins over numbers");
        assertEquals(5, argmax[0]);

        // A window that covers only padding (possible with dilation): -inf and arg-max -1, skipped by backward.
        PoolGeometry holes = pool(1, 1, 2, 4, 2).stride(1).padding(1).dilation(3).build();
        int[] am = new int[holes.outputSize()];
        Tensor yh = Pool2dKernels.maxForward(holes, Tensor.full(1f, holes.inputShape()), am);
        for (int i = 0; i < yh.size(); i++) {
            assertEquals(Float.NEGATIVE_INFINITY, yh.at(i));
            assertEquals(-1, am[i]);
        }
        Tensor gx = Pool2dKernels.maxBackward(holes, Tensor.full(1f, holes.outputShape()), am);
        for (int i = 0; i < gx.size(); i++) assertEquals(0f, gx.at(i));
        Tensor yDot = Pool2dKernels.gatherAtArgmax(holes, Tensor.full(1f, holes.inputShape()), am);
        for (int i = 0; i < yDot.size(); i++) assertEquals(0f, yDot.at(i));
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        PoolGeometry g = pool(6, 5, 13, 12, 3).stride(2).padding(1).build();
        Random rng = new Random(3);
        Tensor x = randn(rng, g.inputShape()), gy = randn(rng, g.outputShape());
        float[][][] runs = new float[2][][];
        for (int t = 1; t <= 2; t++) {
            Parallel.setThreads(t);
            int[] argmax = new int[g.outputSize()];
            Tensor y = Pool2dKernels.maxForward(g, x, argmax);
            runs[t - 1] = new float[][] {y.toArray(), Pool2dKernels.maxBackward(g, gy, argmax).toArray(),
                Pool2dKernels.avgForward(g, x, false).toArray(), Pool2dKernels.avgBackward(g, gy, false).toArray(),
                Pool2dKernels.globalAvgForward(x).toArray(),
                Pool2dKernels.globalAvgBackward(Pool2dKernels.globalAvgForward(gy), g.outH(), g.outW()).toArray()};
        }
        for (int i = 0; i < runs[0].length; i++) assertBitIdentical("output " + i, runs[0][i], runs[1][i]);
    }

    private static PoolGeometry geometry(Fixtures fx) {
        return new PoolGeometry(fx.intAttr("n"), fx.intAttr("channels"), fx.intAttr("in_h"), fx.intAttr("in_w"),
                fx.intAttr("kernel_h"), fx.intAttr("kernel_w"), fx.intAttr("stride_h"), fx.intAttr("stride_w"),
                fx.intAttr("pad_h"), fx.intAttr("pad_w"), fx.intAttr("dilation_h"), fx.intAttr("dilation_w"));
    }

    /** PyTorch float64 results (tools/fixtures/kernel_fixtures.py) on float32 inputs. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k3_s2_p1", "k2_s2", "k3_s1_p1_dilation2"})
    void maxPoolMatchesPyTorchFixtures(String name) {
        Fixtures fx = Fixtures.load("kernels/max_pool2d_" + name + ".txt");
        PoolGeometry g = geometry(fx);
        int[] argmax = new int[g.outputSize()];
        assertClose(name + " y", fx.array("y"), Pool2dKernels.maxForward(g, fx.tensor("x"), argmax), 0, 0);
        double[] expectedIdx = fx.array("argmax").values();
        for (int i = 0; i < argmax.length; i++) assertEquals((int) expectedIdx[i], argmax[i], name + " argmax " + i);
        assertClose(name + " gx", fx.array("gx"), Pool2dKernels.maxBackward(g, fx.tensor("gy"), argmax), 1e-6, 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k3_s2_p1_include_pad", "k3_s2_p1_exclude_pad", "k2_s2"})
    void avgPoolMatchesPyTorchFixtures(String name) {
        Fixtures fx = Fixtures.load("kernels/avg_pool2d_" + name + ".txt");
        PoolGeometry g = geometry(fx);
        boolean includePad = fx.intAttr("count_include_pad") == 1;
        assertClose(name + " y", fx.array("y"), Pool2dKernels.avgForward(g, fx.tensor("x"), includePad), 1e-6, 1e-6);
        assertClose(name + " gx", fx.array("gx"), Pool2dKernels.avgBackward(g, fx.tensor("gy"), includePad), 1e-6, 1e-6);
    }

    @Test
    void globalAvgPoolMatchesPyTorchFixture() {
        Fixtures fx = Fixtures.load("kernels/global_avg_pool2d_basic.txt");
        Tensor x = fx.tensor("x");
        assertClose("y", fx.array("y"), Pool2dKernels.globalAvgForward(x), 1e-6, 1e-6);
        assertClose("gx", fx.array("gx"), Pool2dKernels.globalAvgBackward(fx.tensor("gy"), x.dim(2), x.dim(3)), 1e-6, 1e-6);
    }

    @Test
    void geometryDefaultsAndValidation() {
        PoolGeometry g = pool(2, 3, 9, 8, 3).build();
        assertEquals(3, g.strideH(), "stride defaults to the kernel size");
        assertEquals(3, g.outH());
        assertEquals(2, g.outW());
        assertEquals(2 * 3 * 3 * 2, g.outputSize());
        assertMessage(() -> pool(1, 1, 8, 8, 3).padding(2).build(), "padding must be at most half the kernel size");
        assertMessage(() -> pool(1, 1, 2, 8, 3).build(), "output size would be < 1");
        assertMessage(() -> pool(1, 1, 8, 8, 2).stride(0).build(), "strideH must be >= 1");
        assertMessage(() -> pool(1, 0, 8, 8, 2).build(), "channels must be >= 1");
    }

    @Test
    void shapeMismatchesNameTheOpAndBothShapes() {
        PoolGeometry g = pool(2, 3, 8, 8, 2).build();
        assertMessage(() -> Pool2dKernels.maxForward(g, Tensor.zeros(2, 3, 8, 7), null),
                "max_pool2d: input has shape [2, 3, 8, 7], expected [2, 3, 8, 8]");
        assertMessage(() -> Pool2dKernels.maxForward(g, Tensor.zeros(2, 3, 8, 8), new int[5]),
                "max_pool2d: argmax has length 5, expected 96");
        assertMessage(() -> Pool2dKernels.maxBackward(g, Tensor.zeros(2, 3, 4, 5), new int[96]),
                "max_pool2d: output gradient has shape [2, 3, 4, 5], expected [2, 3, 4, 4]");
        int[] bad = new int[96];
        bad[3] = 64;
        assertMessage(() -> Pool2dKernels.gatherAtArgmax(g, Tensor.zeros(2, 3, 8, 8), bad),
                "max_pool2d: argmax entry 64 is outside the input plane of 8x8");
        assertMessage(() -> Pool2dKernels.avgForward(g, Tensor.zeros(1, 3, 8, 8)),
                "avg_pool2d: input has shape [1, 3, 8, 8], expected [2, 3, 8, 8]");
        assertMessage(() -> Pool2dKernels.avgForward(pool(1, 1, 8, 8, 2).dilation(2).build(), Tensor.zeros(1, 1, 8, 8)),
                "avg_pool2d: dilation is not supported");
        assertMessage(() -> Pool2dKernels.globalAvgForward(Tensor.zeros(2, 3, 8)),
                "global_avg_pool2d: input must have rank 4");
        assertMessage(() -> Pool2dKernels.globalAvgBackwardInto(Tensor.zeros(2, 4), Tensor.zeros(2, 3, 5, 5), false),
                "global_avg_pool2d: output gradient has shape [2, 4], expected [2, 3]");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String expectedPart) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expectedPart), "message '" + ex.getMessage() + "' lacks '" + expectedPart + "'");
    }
}
