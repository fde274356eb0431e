package dev.apoptosis.tensor.conv;

import static dev.apoptosis.testing.Assertions2.assertBitIdentical;
import static dev.apoptosis.testing.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.ConvGeometry;
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

/** {@link Conv2dKernels} against the double-precision loops of {@link ConvReference}. */
class Conv2dKernelsTest {

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

    private static ConvGeometry.Builder conv(int n, int cin, int h, int w, int cout, int k) {
        return ConvGeometry.builder().batch(n).input(cin, h, w).outChannels(cout).kernel(k);
    }

    /** Shapes chosen to hit every path: sizes 1, primes, odd sizes, stride, padding, dilation, groups, tiles. */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of("all size 1", conv(1, 1, 1, 1, 1, 1).build()),
                Arguments.of("1x1 kernel in place", conv(3, 5, 7, 6, 4, 1).build()),
                Arguments.of("1x1 kernel stride 2", conv(2, 3, 7, 7, 5, 1).stride(2).build()),
                Arguments.of("primes 3x3 pad 1", conv(2, 3, 7, 5, 5, 3).padding(1).build()),
                Arguments.of("1x1 image 3x3 pad 1", conv(2, 2, 1, 1, 3, 3).padding(1).build()),
                Arguments.of("width 1 3x3 pad 1", conv(2, 2, 5, 1, 3, 3).padding(1).build()),
                Arguments.of("same width only", conv(2, 3, 7, 6, 4, 3).padding(0, 1).build()),
                Arguments.of("same width 5x5 dilation 2", conv(1, 2, 9, 8, 3, 5).padding(1, 4).dilation(1, 2).build()),
                Arguments.of("odd no pad", conv(3, 2, 9, 11, 3, 3).build()),
                Arguments.of("stride 2 pad 1", conv(2, 4, 9, 8, 6, 3).stride(2).padding(1).build()),
                Arguments.of("stride 3 pad 1 odd size", conv(2, 3, 11, 10, 4, 3).stride(3).padding(1).build()),
                Arguments.of("stride 1x2 pad 1", conv(2, 3, 9, 10, 5, 3).stride(1, 2).padding(1).build()),
                Arguments.of("dilation 2 pad 2", conv(2, 3, 11, 9, 4, 3).padding(2).dilation(2).build()),
                Arguments.of("asymmetric", conv(2, 3, 10, 7, 2, 1).kernel(3, 2).stride(2, 1).padding(0, 1)
                        .dilation(1, 2).build()),
                Arguments.of("kernel fills padded input", conv(1, 2, 3, 3, 3, 5).padding(1).build()),
                Arguments.of("huge padding", conv(1, 2, 2, 3, 2, 3).padding(3).build()),
                Arguments.of("groups 2", conv(2, 4, 6, 7, 6, 3).padding(1).groups(2).build()),
                Arguments.of("groups 3 stride 2 dilation 2", conv(2, 6, 9, 9, 3, 3).stride(2).padding(2)
                        .dilation(2).groups(3).build()),
                Arguments.of("depthwise", conv(2, 5, 7, 6, 5, 3).padding(1).groups(5).build()),
                Arguments.of("depthwise stride 2 dilation 2", conv(3, 4, 9, 10, 4, 3).stride(2).padding(1)
                        .dilation(2).groups(4).build()),
                Arguments.of("depthwise multiplier 2", conv(2, 3, 6, 6, 6, 3).padding(1).groups(3).build()),
                Arguments.of("tiled small images", conv(37, 3, 4, 4, 5, 3).padding(1).build()),
                Arguments.of("tiled 1x1 in place", conv(19, 4, 3, 5, 3, 1).build()),
                Arguments.of("tiled groups", conv(9, 4, 5, 5, 4, 3).padding(1).groups(2).build()),
                // More than GemmConvWeightGradient.MAX_FILTERS_FOR_DOT_PRODUCTS filters per group over
                // patches of at least MIN_PATCH_FOR_ROWS: the weight gradient takes the patch-rows (NN) layout.
                Arguments.of("many filters 3x3 pad 1", conv(2, 15, 6, 5, 20, 3).padding(1).build()),
                Arguments.of("many filters stride 2 dilation 2", conv(3, 16, 9, 8, 19, 3).stride(2).padding(2)
                        .dilation(2).build()),
                Arguments.of("many filters groups 2", conv(2, 30, 5, 7, 34, 3).padding(1).groups(2).build()),
                Arguments.of("many filters tiled", conv(11, 22, 4, 4, 18, 3).kernel(3, 2).padding(1, 0).build()),
                Arguments.of("many filters stride 2 no padding", conv(2, 15, 7, 7, 24, 3).stride(2).build()),
                // Patch rows with channels per group a multiple of GemmVectorKernel.NR (32 on AVX-512, 16 on
                // AVX2): read from the channels-last image without im2row (ImplicitIm2row).
                Arguments.of("implicit rows 3x3 pad 1", conv(2, 32, 6, 5, 20, 3).padding(1).build()),
                Arguments.of("implicit rows stride 2 dilation 2", conv(3, 32, 9, 8, 19, 3).stride(2).padding(2)
                        .dilation(2).build()),
                Arguments.of("implicit rows groups 2", conv(2, 64, 5, 7, 34, 3).padding(1).groups(2).build()),
                Arguments.of("implicit rows tiled 3x2", conv(11, 32, 4, 4, 18, 3).kernel(3, 2).padding(1, 0).build()),
                Arguments.of("implicit rows huge padding", conv(1, 32, 2, 3, 17, 3).padding(3).build()),
                Arguments.of("implicit rows 64 channels", conv(3, 64, 4, 4, 24, 3).padding(1).build()),
                // 30 channels: a ragged last panel per tap, whose spare lanes read the next pixel (or, in
                // groups, the next group, or the buffer's tail after the last pixel).
                Arguments.of("implicit rows ragged panel", conv(2, 30, 6, 5, 20, 3).padding(1).build()),
                Arguments.of("implicit rows ragged panel groups 2", conv(2, 60, 5, 5, 34, 3).padding(1).groups(2).build()),
                // Channel counts whose ragged panels would waste too much: patch rows copied by Im2row.
                Arguments.of("explicit rows 20 channels", conv(2, 20, 5, 6, 24, 3).padding(1).build()),
                Arguments.of("explicit rows 40 channels", conv(2, 40, 4, 5, 18, 3).stride(2).padding(1).build()),
                // Many filters but a 1x1 kernel or a short patch: dot products again.
                Arguments.of("many filters 1x1", conv(3, 5, 4, 3, 17, 1).build()),
                Arguments.of("many filters 1x1 stride 2", conv(3, 7, 6, 5, 20, 1).stride(2).build()),
                Arguments.of("many filters short patch", conv(2, 3, 6, 5, 20, 3).padding(1).build()));
    }

    static Stream<Arguments> geometriesBothPaths() {
        return geometries().flatMap(a -> Stream.of(
                Arguments.of(a.get()[0], a.get()[1], false), Arguments.of(a.get()[0], a.get()[1], true)));
    }

    static Tensor randn(Random rng, int... shape) {
        return Tensor.randn(rng, 1f, shape);
    }

    static double tol(double[] expected) {
        double m = 0;
        for (double v : expected) m = Math.max(m, Math.abs(v));
        return 2e-6 * Math.max(1, m);
    }

    @ParameterizedTest(name = "{0} scalar={2}")
    @MethodSource("geometriesBothPaths")
    void matchesReference(String name, ConvGeometry g, boolean scalar) {
        Simd.setForceScalar(scalar);
        Random rng = new Random(name.hashCode());
        Tensor x = randn(rng, g.inputShape()), w = randn(rng, g.weightShape()), b = randn(rng, g.biasShape());
        Tensor gy = randn(rng, g.outputShape());

        double[] y = ConvReference.forward(g, x, w, b);
        assertClose(name + " forward", y, Conv2dKernels.forward(g, x, w, b).data(), 0, 1e-5, tol(y));
        double[] y0 = ConvReference.forward(g, x, w, null);
        assertClose(name + " forward no bias", y0, Conv2dKernels.forward(g, x, w, null).data(), 0, 1e-5, tol(y0));
        double[] gx = ConvReference.backwardInput(g, gy, w);
        assertClose(name + " backwardInput", gx, Conv2dKernels.backwardInput(g, gy, w).data(), 0, 1e-5, tol(gx));
        double[] gw = ConvReference.backwardWeight(g, x, gy);
        assertClose(name + " backwardWeight", gw, Conv2dKernels.backwardWeight(g, x, gy).data(), 0, 1e-5, tol(gw));
        double[] gb = ConvReference.backwardBias(g, gy);
        assertClose(name + " backwardBias", gb, Conv2dKernels.backwardBias(g, gy).data(), 0, 1e-6, tol(gb));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void accumulateAddsToExistingValues(String name, ConvGeometry g) {
        Random rng = new Random(~name.hashCode());
        Tensor x = randn(rng, g.inputShape()), w = randn(rng, g.weightShape()), b = randn(rng, g.biasShape());
        Tensor gy = randn(rng, g.outputShape());

        Tensor y = randn(rng, g.outputShape());
        double[] ey = plus(y, ConvReference.forward(g, x, w, b));
        Conv2dKernels.forwardInto(g, x, w, b, y, true);
        assertClose(name + " forward accumulate", ey, y.data(), 0, 1e-5, tol(ey));

        Tensor gx = randn(rng, g.inputShape());
        double[] egx = plus(gx, ConvReference.backwardInput(g, gy, w));
        Conv2dKernels.backwardInputInto(g, gy, w, gx, true);
        assertClose(name + " backwardInput accumulate", egx, gx.data(), 0, 1e-5, tol(egx));

        Tensor gw = randn(rng, g.weightShape());
        double[] egw = plus(gw, ConvReference.backwardWeight(g, x, gy));
        Conv2dKernels.backwardWeightInto(g, x, gy, gw, true);
        assertClose(name + " backwardWeight accumulate", egw, gw.data(), 0, 1e-5, tol(egw));

        Tensor gb = randn(rng, g.biasShape());
        double[] egb = plus(gb, ConvReference.backwardBias(g, gy));
        Conv2dKernels.backwardBiasInto(g, gy, gb, true);
        assertClose(name + " backwardBias accumulate", egb, gb.data(), 0, 1e-6, tol(egb));

        // Overwrite mode must ignore whatever the destination held.
        Tensor garbage = Tensor.full(Float.NaN, g.outputShape());
        Conv2dKernels.forwardInto(g, x, w, null, garbage, false);
        double[] e0 = ConvReference.forward(g, x, w, null);
        assertClose(name + " forward overwrite", e0, garbage.data(), 0, 1e-5, tol(e0));
        Tensor gxGarbage = Tensor.full(Float.NaN, g.inputShape());
        Conv2dKernels.backwardInputInto(g, gy, w, gxGarbage, false);
        double[] egx0 = ConvReference.backwardInput(g, gy, w);
        assertClose(name + " backwardInput overwrite", egx0, gxGarbage.data(), 0, 1e-5, tol(egx0));
        Tensor gwGarbage = Tensor.full(Float.NaN, g.weightShape());
        Conv2dKernels.backwardWeightInto(g, x, gy, gwGarbage, false);
        double[] egw0 = ConvReference.backwardWeight(g, x, gy);
        assertClose(name + " backwardWeight overwrite", egw0, gwGarbage.data(), 0, 1e-5, tol(egw0));
    }

    /**
     * The sums of two convolutions (a tangent W⋆ẋ + Ẇ⋆x + ḃ, an R-adjoint Wᵀ⋆ġ + Ẇᵀ⋆g) against the
     * reference, on both paths, overwriting and accumulating, and bit-identical for 1 and 2 threads.
     */
    @ParameterizedTest(name = "{0} scalar={2}")
    @MethodSource("geometriesBothPaths")
    void pairsEqualTheSumOfTwoConvolutions(String name, ConvGeometry g, boolean scalar) {
        Simd.setForceScalar(scalar);
        Random rng = new Random(31 * name.hashCode() + 7);
        Tensor x1 = randn(rng, g.inputShape()), w1 = randn(rng, g.weightShape()), x2 = randn(rng, g.inputShape());
        Tensor w2 = randn(rng, g.weightShape()), b = randn(rng, g.biasShape());
        Tensor gy1 = randn(rng, g.outputShape()), gy2 = randn(rng, g.outputShape());

        double[] y = plus(ConvReference.forward(g, x1, w1, b), ConvReference.forward(g, x2, w2, null));
        Tensor yOut = Tensor.full(Float.NaN, g.outputShape());
        Conv2dKernels.forwardPairInto(g, x1, w1, x2, w2, b, yOut, false);
        assertClose(name + " forward pair", y, yOut.data(), 0, 1e-5, tol(y));
        Tensor yAcc = randn(rng, g.outputShape());
        double[] eAcc = plus(yAcc, y);
        Conv2dKernels.forwardPairInto(g, x1, w1, x2, w2, b, yAcc, true);
        assertClose(name + " forward pair accumulate", eAcc, yAcc.data(), 0, 1e-5, tol(eAcc));

        double[] gx = plus(ConvReference.backwardInput(g, gy1, w1), ConvReference.backwardInput(g, gy2, w2));
        Tensor gxOut = Tensor.full(Float.NaN, g.inputShape());
        Conv2dKernels.backwardInputPairInto(g, gy1, w1, gy2, w2, gxOut, false);
        assertClose(name + " backwardInput pair", gx, gxOut.data(), 0, 1e-5, tol(gx));
        Tensor gxAcc = randn(rng, g.inputShape());
        double[] egxAcc = plus(gxAcc, gx);
        Conv2dKernels.backwardInputPairInto(g, gy1, w1, gy2, w2, gxAcc, true);
        assertClose(name + " backwardInput pair accumulate", egxAcc, gxAcc.data(), 0, 1e-5, tol(egxAcc));

        float[][] one = new float[2][], two = new float[2][];
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            Tensor yt = Tensor.zeros(g.outputShape()), gxt = Tensor.zeros(g.inputShape());
            Conv2dKernels.forwardPairInto(g, x1, w1, x2, w2, b, yt, false);
            Conv2dKernels.backwardInputPairInto(g, gy1, w1, gy2, w2, gxt, false);
            float[][] r = threads == 1 ? one : two;
            r[0] = yt.toArray();
            r[1] = gxt.toArray();
        }
        for (int i = 0; i < 2; i++) KernelTesting.assertSameValues(name + " pair result " + i + ", 1 vs 2 threads", one[i], two[i]);
    }

    static double[] plus(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        return r;
    }

    static double[] plus(Tensor t, double[] d) {
        double[] r = new double[d.length];
        for (int i = 0; i < d.length; i++) r[i] = t.at(i) + d[i];
        return r;
    }

    @Test
    void viewsWithNonZeroOffsetsAreRespected() {
        ConvGeometry g = conv(2, 3, 6, 5, 4, 3).padding(1).build();
        Random rng = new Random(7);
        Tensor xs = randn(rng, 4, 3, 6, 5), ws = randn(rng, 3, 4, 3, 3, 3), gys = randn(rng, 3, 2, 4, 6, 5);
        Tensor x = xs.slice0(1, 3), w = ws.slice0(2, 3).reshape(4, 3, 3, 3), gy = gys.slice0(1, 2).reshape(2, 4, 6, 5);
        double[] y = ConvReference.forward(g, x, w, null);
        assertClose("forward of views", y, Conv2dKernels.forward(g, x, w, null).data(), 0, 1e-5, tol(y));
        double[] gx = ConvReference.backwardInput(g, gy, w);
        assertClose("backwardInput of views", gx, Conv2dKernels.backwardInput(g, gy, w).data(), 0, 1e-5, tol(gx));
        double[] gw = ConvReference.backwardWeight(g, x, gy);
        assertClose("backwardWeight of views", gw, Conv2dKernels.backwardWeight(g, x, gy).data(), 0, 1e-5, tol(gw));

        Tensor outs = Tensor.zeros(3, 4, 6, 5);
        Conv2dKernels.forwardInto(g, x, w, null, outs.slice0(1, 3), false);
        assertClose("forwardInto a view", y, outs.data(), 4 * 6 * 5, 1e-5, tol(y));
        assertEquals(0f, outs.at(0), "elements before the view stay untouched");
    }

    /** Bit-identical results with 1 and 2 threads, for shapes with several tiles and weight-gradient chunks. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("threadGeometries")
    void resultsDoNotDependOnThreadCount(String name, ConvGeometry g) {
        Random rng = new Random(11);
        Tensor x = randn(rng, g.inputShape()), w = randn(rng, g.weightShape()), b = randn(rng, g.biasShape());
        Tensor gy = randn(rng, g.outputShape());
        Parallel.setThreads(1);
        float[][] one = allOutputs(g, x, w, b, gy);
        Parallel.setThreads(2);
        float[][] two = allOutputs(g, x, w, b, gy);
        String[] what = {"forward", "backwardInput", "backwardWeight", "backwardBias"};
        for (int i = 0; i < what.length; i++) assertBitIdentical(name + " " + what[i], one[i], two[i]);
    }

    static Stream<Arguments> threadGeometries() {
        return Stream.of(
                Arguments.of("one image per tile", conv(20, 3, 17, 16, 4, 3).padding(1).build()),
                Arguments.of("several images per tile", conv(41, 4, 6, 6, 5, 3).padding(1).build()),
                Arguments.of("single tile", conv(1, 3, 20, 20, 4, 3).padding(1).build()),
                Arguments.of("depthwise", conv(9, 6, 10, 10, 6, 3).padding(1).groups(6).build()),
                Arguments.of("many filters", conv(21, 3, 6, 6, 20, 3).padding(1).build()));
    }

    private static float[][] allOutputs(ConvGeometry g, Tensor x, Tensor w, Tensor b, Tensor gy) {
        return new float[][] {
            Conv2dKernels.forward(g, x, w, b).toArray(),
            Conv2dKernels.backwardInput(g, gy, w).toArray(),
            Conv2dKernels.backwardWeight(g, x, gy).toArray(),
            Conv2dKernels.backwardBias(g, gy).toArray()};
    }

    /** PyTorch float64 results (tools/fixtures/kernel_fixtures.py) on float32 inputs. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"basic", "stride2_dilation2_groups2", "depthwise_stride2", "asymmetric_nobias",
        "pointwise", "small_images_tiled"})
    void matchesPyTorchFixtures(String name) {
        Fixtures fx = Fixtures.load("kernels/conv2d_" + name + ".txt");
        ConvGeometry g = new ConvGeometry(fx.intAttr("n"), fx.intAttr("in_channels"), fx.intAttr("in_h"),
                fx.intAttr("in_w"), fx.intAttr("out_channels"), fx.intAttr("kernel_h"), fx.intAttr("kernel_w"),
                fx.intAttr("stride_h"), fx.intAttr("stride_w"), fx.intAttr("pad_h"), fx.intAttr("pad_w"),
                fx.intAttr("dilation_h"), fx.intAttr("dilation_w"), fx.intAttr("groups"));
        boolean hasBias = fx.intAttr("bias") == 1;
        Tensor x = fx.tensor("x"), w = fx.tensor("w"), gy = fx.tensor("gy"), b = hasBias ? fx.tensor("b") : null;
        for (boolean scalar : new boolean[] {false, true}) {
            Simd.setForceScalar(scalar);
            String what = name + (scalar ? " scalar" : " vector");
            assertClose(what + " y", fx.array("y"), Conv2dKernels.forward(g, x, w, b), 1e-5, 1e-5);
            assertClose(what + " gx", fx.array("gx"), Conv2dKernels.backwardInput(g, gy, w), 1e-5, 1e-5);
            assertClose(what + " gw", fx.array("gw"), Conv2dKernels.backwardWeight(g, x, gy), 1e-5, 1e-5);
            if (hasBias) assertClose(what + " gb", fx.array("gb"), Conv2dKernels.backwardBias(g, gy), 1e-6, 1e-5);
        }
    }

    @Test
    void bothWeightGradientLayoutsAreCovered() {
        long dots = geometries().map(a -> (ConvGeometry) a.get()[1])
                .filter(g -> !g.isDepthwise() && GemmConvWeightGradient.usesDotProducts(g)).count();
        long rows = geometries().map(a -> (ConvGeometry) a.get()[1])
                .filter(g -> !g.isDepthwise() && !GemmConvWeightGradient.usesDotProducts(g)).count();
        long implicit = geometries().map(a -> (ConvGeometry) a.get()[1])
                .filter(g -> !g.isDepthwise() && !GemmConvWeightGradient.usesDotProducts(g) && ImplicitIm2row.applies(g)).count();
        assertTrue(dots >= 5 && rows >= 5, "geometries per weight-gradient layout: " + dots + " and " + rows);
        assertTrue(!Simd.enabled() || (implicit >= 5 && rows - implicit >= 3),
                "patch rows read from the image: " + implicit + ", copied: " + (rows - implicit));
        int many = GemmConvWeightGradient.MAX_FILTERS_FOR_DOT_PRODUCTS + 1;
        assertTrue(GemmConvWeightGradient.usesDotProducts(conv(1, 64, 8, 8, many, 1).build()), "1x1 kernels");
        assertTrue(GemmConvWeightGradient.usesDotProducts(conv(1, 8, 8, 8, many, 3).padding(1).build()), "short patches");
        assertFalse(GemmConvWeightGradient.usesDotProducts(conv(1, 16, 8, 8, many, 3).padding(1).build()), "3x3, 16 channels");
    }

    @Test
    void geometryDerivesOutputSizeAndMacs() {
        ConvGeometry g = conv(128, 16, 32, 32, 16, 3).padding(1).build();
        assertEquals(32, g.outH());
        assertEquals(32, g.outW());
        assertEquals(128L * 16 * 32 * 32 * 16 * 9, g.macs());
        ConvGeometry s = conv(2, 4, 9, 8, 6, 3).stride(2).padding(1).dilation(2).groups(2).build();
        assertEquals((9 + 2 - 4 - 1) / 2 + 1, s.outH());
        assertEquals((8 + 2 - 4 - 1) / 2 + 1, s.outW());
        assertEquals(2L * 6 * s.outH() * s.outW() * 2 * 9, s.macs());
        assertTrue(conv(1, 4, 5, 5, 4, 3).groups(4).build().isDepthwise());
        assertEquals(s, s.withBatch(7).withBatch(2));
    }

    @Test
    void invalidGeometriesAreRejectedWithReasons() {
        assertMessage(() -> conv(1, 6, 8, 8, 4, 3).groups(4).build(), "inChannels=6 is not divisible by groups=4");
        assertMessage(() -> conv(1, 4, 8, 8, 6, 3).groups(4).build(), "outChannels=6 is not divisible by groups=4");
        assertMessage(() -> conv(1, 4, 2, 8, 4, 3).build(), "output size would be < 1");
        assertMessage(() -> conv(1, 4, 5, 5, 4, 3).dilation(3).build(), "output size would be < 1");
        assertMessage(() -> conv(1, 4, 8, 8, 4, 3).padding(-1).build(), "padding must be >= 0");
        assertMessage(() -> conv(1, 4, 8, 8, 4, 3).stride(0).build(), "strideH must be >= 1");
        assertMessage(() -> conv(0, 4, 8, 8, 4, 3).build(), "batch n must be >= 1");
        assertMessage(() -> conv(1, 4, 8, 8, 0, 3).build(), "outChannels must be >= 1");
    }

    @Test
    void shapeMismatchesNameTheOpAndBothShapes() {
        ConvGeometry g = conv(2, 4, 8, 8, 6, 3).padding(1).build();
        Tensor x = Tensor.zeros(2, 4, 8, 8), w = Tensor.zeros(6, 4, 3, 3), gy = Tensor.zeros(2, 6, 8, 8);
        assertMessage(() -> Conv2dKernels.forward(g, Tensor.zeros(2, 4, 8, 7), w, null),
                "conv2d: input has shape [2, 4, 8, 7], expected [2, 4, 8, 8]");
        assertMessage(() -> Conv2dKernels.forward(g, x, Tensor.zeros(6, 2, 3, 3), null),
                "conv2d: weight has shape [6, 2, 3, 3], expected [6, 4, 3, 3]");
        assertMessage(() -> Conv2dKernels.forward(g, x, w, Tensor.zeros(4)),
                "conv2d: bias has shape [4], expected [6]");
        assertMessage(() -> Conv2dKernels.forwardInto(g, x, w, null, Tensor.zeros(2, 6, 8, 9), false),
                "conv2d: output has shape [2, 6, 8, 9], expected [2, 6, 8, 8]");
        assertMessage(() -> Conv2dKernels.backwardInput(g, Tensor.zeros(2, 6, 7, 8), w),
                "conv2d: output gradient has shape [2, 6, 7, 8], expected [2, 6, 8, 8]");
        assertMessage(() -> Conv2dKernels.backwardWeightInto(g, x, gy, Tensor.zeros(6, 4, 3, 2), true),
                "conv2d: weight gradient has shape [6, 4, 3, 2], expected [6, 4, 3, 3]");
        assertMessage(() -> Conv2dKernels.backwardBiasInto(g, gy, Tensor.zeros(5), false),
                "conv2d: bias gradient has shape [5], expected [6]");
        assertMessage(() -> Conv2dKernels.forward(g, null, w, null), "conv2d: input is null");
        ConvGeometry same = conv(1, 2, 4, 4, 2, 1).build();
        Tensor t = Tensor.zeros(1, 2, 4, 4);
        assertMessage(() -> Conv2dKernels.forwardInto(same, t, Tensor.zeros(2, 2, 1, 1), null, t, false),
                "conv2d: output [1, 2, 4, 4] shares storage");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String expectedPart) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expectedPart), "message '" + ex.getMessage() + "' lacks '" + expectedPart + "'");
    }
}
