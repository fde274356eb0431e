package dev.apoptosis.tensor.conv;

import static dev.apoptosis.testing.Assertions2.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Winograd F(2x2, 3x3) convolutions ({@link WinogradConv2d}), reached through {@link Conv2dKernels}
 * with {@link Winograd.Mode#ALWAYS}, against the double-precision loops of {@link ConvReference}.
 *
 * <p><b>Tolerance.</b> Every result is a sum of products; float32 evaluation (rounding unit
 * {@code u = 6e-8}) errs by at most a modest multiple of {@code u} times the sum of the absolute
 * values of those products, the same sum computed on {@code |x|} and {@code |w|} ("scale" below).
 * Winograd's transforms add up to 4x4 inputs before the products and 4x4 products after, which
 * enlarges that multiple by a constant factor, and the GEMMs add over up to 2x17 channels or a few
 * hundred tiles. Each element is therefore checked to {@code |got - exact| <= 2e-5 * scale}, about
 * 300 u: loose enough for these sums, yet a single wrong or missing tap in these small geometries
 * (at least 1/600 of the scale) would exceed it by far.
 */
class WinogradConv2dTest {
    private static final double REL_TO_SCALE = 2e-5;

    private int savedThreads;
    private Winograd.Mode savedMode;

    @BeforeEach
    void forceWinograd() {
        savedThreads = Parallel.threads();
        savedMode = Winograd.mode();
        Winograd.setMode(Winograd.Mode.ALWAYS);
    }

    @AfterEach
    void restoreDefaults() {
        Winograd.setMode(savedMode);
        Simd.setForceScalar(false);
        Parallel.setThreads(savedThreads);
    }

    private static ConvGeometry geometry(int n, int cin, int h, int w, int cout, int pad) {
        return ConvGeometry.builder().batch(n).input(cin, h, w).outChannels(cout).kernel(3).padding(pad).build();
    }

    /**
     * Odd and even sizes (partial last tiles), paddings 0/1/2 and asymmetric, one image, chunks of
     * several images with a partial last one (N = 17), images cut into bands of tile rows (37x35),
     * tile counts that leave a vector tail, channel counts 1, 2, 3, 5, 17, outputs of 2x2 to 4x4 whose
     * tiles go several images to a vector.
     */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of("1 channel pad 1", geometry(1, 1, 5, 5, 1, 1)),
                Arguments.of("odd pad 0", geometry(2, 3, 9, 7, 5, 0)),
                Arguments.of("even pad 1", geometry(3, 3, 8, 6, 4, 1)),
                Arguments.of("odd pad 1", geometry(1, 5, 7, 9, 3, 1)),
                Arguments.of("pad 2", geometry(2, 2, 5, 6, 3, 2)),
                Arguments.of("asymmetric pad", ConvGeometry.builder().batch(2).input(3, 6, 7).outChannels(2).kernel(3)
                        .padding(0, 2).build()),
                Arguments.of("tiny image pad 1", geometry(3, 2, 1, 2, 3, 1)),
                Arguments.of("two groups bands", geometry(17, 3, 11, 13, 4, 1)),
                Arguments.of("lanes left over", geometry(20, 5, 6, 5, 3, 1)),
                Arguments.of("17 channels", geometry(4, 17, 6, 6, 17, 1)),
                Arguments.of("wide rows", geometry(16, 2, 3, 34, 2, 0)),
                Arguments.of("bands of tile rows", geometry(2, 2, 37, 35, 2, 1)),
                // Tiles of several images a vector (with images left over): 4x4 outputs, 2x2, 3x3 (partial
                // tiles), 4x4 without padding.
                Arguments.of("4x4 outputs", geometry(9, 3, 4, 4, 2, 1)),
                Arguments.of("2x2 outputs", geometry(19, 2, 2, 2, 3, 1)),
                Arguments.of("3x3 outputs", geometry(11, 2, 3, 3, 2, 1)),
                Arguments.of("4x4 outputs pad 0", geometry(5, 2, 6, 6, 2, 0)),
                // Rows of four tiles, transformed two rows at a time with AVX-512.
                Arguments.of("8x8 outputs", geometry(3, 3, 8, 8, 2, 1)),
                Arguments.of("7x7 outputs", geometry(2, 2, 7, 7, 3, 1)),
                // Outputs a vector wide (stored whole rows at a time): 16 wide with AVX-512, 8 with AVX2,
                // with an even and an odd number of tile rows and an odd number of output rows.
                Arguments.of("16x16 outputs", geometry(2, 2, 16, 16, 2, 1)),
                Arguments.of("14x16 outputs", geometry(2, 2, 14, 16, 2, 1)),
                Arguments.of("13x16 outputs", geometry(2, 2, 13, 16, 2, 1)),
                Arguments.of("7x8 outputs", geometry(3, 2, 7, 8, 2, 1)),
                Arguments.of("bands 16 wide", geometry(1, 1, 70, 16, 1, 1)));
    }

    static Stream<Arguments> geometriesBothPaths() {
        return geometries().flatMap(a -> Stream.of(
                Arguments.of(a.get()[0], a.get()[1], false), Arguments.of(a.get()[0], a.get()[1], true)));
    }

    private static Tensor abs(Tensor t) {
        Tensor a = Tensor.zeros(t.shape());
        for (int i = 0; i < t.size(); i++) a.data()[i] = Math.abs(t.data()[t.offset() + i]);
        return a;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) s[i] = a[i] + b[i];
        return s;
    }

    private static double[] plus(double[] a, Tensor t) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) s[i] = a[i] + t.data()[t.offset() + i];
        return s;
    }

    private static double[] plusAbs(double[] a, Tensor t) {
        return plus(a, abs(t));
    }

    /** {@code |got - exact| <= REL_TO_SCALE * scale} element by element (see the class comment). */
    private static void assertWithinScale(String what, double[] exact, double[] scale, Tensor got) {
        assertEquals(exact.length, got.size(), what + ": size");
        for (int i = 0; i < exact.length; i++) {
            double err = Math.abs(got.data()[got.offset() + i] - exact[i]);
            if (!(err <= REL_TO_SCALE * scale[i] + 1e-30)) {
                fail(what + ": element " + i + " is " + got.data()[got.offset() + i] + ", expected " + exact[i]
                        + " (error " + err + ", allowed " + REL_TO_SCALE * scale[i] + ")");
            }
        }
    }

    private static Tensor copy(Tensor t) {
        return Tensor.wrap(t.data().clone(), t.shape());
    }

    @ParameterizedTest(name = "{0} scalar={2}")
    @MethodSource("geometriesBothPaths")
    void singleConvolutionsMatchReference(String name, ConvGeometry g, boolean scalar) {
        assertTrue(WinogradConv2d.useForward(g) && WinogradConv2d.useBackwardInput(g), name + " takes Winograd");
        Simd.setForceScalar(scalar);
        Random rng = new Random(name.hashCode());
        Tensor x = Tensor.randn(rng, 1f, g.inputShape()), w = Tensor.randn(rng, 1f, g.weightShape());
        Tensor b = Tensor.randn(rng, 1f, g.biasShape()), gy = Tensor.randn(rng, 1f, g.outputShape());
        Tensor y0 = Tensor.randn(rng, 1f, g.outputShape()), gx0 = Tensor.randn(rng, 1f, g.inputShape());
        Tensor gw0 = Tensor.randn(rng, 1f, g.weightShape());

        double[] y = ConvReference.forward(g, x, w, b), yScale = ConvReference.forward(g, abs(x), abs(w), abs(b));
        double[] yNoBias = ConvReference.forward(g, x, w, null), yNoBiasScale = ConvReference.forward(g, abs(x), abs(w), null);
        assertWithinScale(name + " forward", y, yScale, Conv2dKernels.forward(g, x, w, b));
        assertWithinScale(name + " forward no bias", yNoBias, yNoBiasScale, Conv2dKernels.forward(g, x, w, null));
        Tensor yAcc = copy(y0);
        Conv2dKernels.forwardInto(g, x, w, b, yAcc, true);
        assertWithinScale(name + " forward accumulate", plus(y, y0), plusAbs(yScale, y0), yAcc);

        double[] gx = ConvReference.backwardInput(g, gy, w), gxScale = ConvReference.backwardInput(g, abs(gy), abs(w));
        assertWithinScale(name + " backwardInput", gx, gxScale, Conv2dKernels.backwardInput(g, gy, w));
        Tensor gxAcc = copy(gx0);
        Conv2dKernels.backwardInputInto(g, gy, w, gxAcc, true);
        assertWithinScale(name + " backwardInput accumulate", plus(gx, gx0), plusAbs(gxScale, gx0), gxAcc);

        double[] gw = ConvReference.backwardWeight(g, x, gy), gwScale = ConvReference.backwardWeight(g, abs(x), abs(gy));
        assertWithinScale(name + " backwardWeight", gw, gwScale, Conv2dKernels.backwardWeight(g, x, gy));
        Tensor gwAcc = copy(gw0);
        Conv2dKernels.backwardWeightInto(g, x, gy, gwAcc, true);
        assertWithinScale(name + " backwardWeight accumulate", plus(gw, gw0), plusAbs(gwScale, gw0), gwAcc);
    }

    @ParameterizedTest(name = "{0} scalar={2}")
    @MethodSource("geometriesBothPaths")
    void pairsMatchReference(String name, ConvGeometry g, boolean scalar) {
        Simd.setForceScalar(scalar);
        Random rng = new Random(~name.hashCode());
        Tensor x1 = Tensor.randn(rng, 1f, g.inputShape()), w1 = Tensor.randn(rng, 1f, g.weightShape());
        Tensor x2 = Tensor.randn(rng, 1f, g.inputShape()), w2 = Tensor.randn(rng, 1f, g.weightShape());
        Tensor b = Tensor.randn(rng, 1f, g.biasShape());
        Tensor gy1 = Tensor.randn(rng, 1f, g.outputShape()), gy2 = Tensor.randn(rng, 1f, g.outputShape());
        Tensor y0 = Tensor.randn(rng, 1f, g.outputShape()), gx0 = Tensor.randn(rng, 1f, g.inputShape());

        double[] y = sum(ConvReference.forward(g, x1, w1, b), ConvReference.forward(g, x2, w2, null));
        double[] yScale = sum(ConvReference.forward(g, abs(x1), abs(w1), abs(b)), ConvReference.forward(g, abs(x2), abs(w2), null));
        Tensor yOut = Tensor.randn(rng, 1f, g.outputShape());
        Conv2dKernels.forwardPairInto(g, x1, w1, x2, w2, b, yOut, false);
        assertWithinScale(name + " forward pair", y, yScale, yOut);
        Tensor yAcc = copy(y0);
        Conv2dKernels.forwardPairInto(g, x1, w1, x2, w2, b, yAcc, true);
        assertWithinScale(name + " forward pair accumulate", plus(y, y0), plusAbs(yScale, y0), yAcc);
        Tensor yNoBias = Tensor.zeros(g.outputShape());
        Conv2dKernels.forwardPairInto(g, x1, w1, x2, w2, null, yNoBias, false);
        assertWithinScale(name + " forward pair no bias",
                sum(ConvReference.forward(g, x1, w1, null), ConvReference.forward(g, x2, w2, null)),
                sum(ConvReference.forward(g, abs(x1), abs(w1), null), ConvReference.forward(g, abs(x2), abs(w2), null)),
                yNoBias);

        double[] gx = sum(ConvReference.backwardInput(g, gy1, w1), ConvReference.backwardInput(g, gy2, w2));
        double[] gxScale = sum(ConvReference.backwardInput(g, abs(gy1), abs(w1)),
                ConvReference.backwardInput(g, abs(gy2), abs(w2)));
        Tensor gxOut = Tensor.randn(rng, 1f, g.inputShape());
        Conv2dKernels.backwardInputPairInto(g, gy1, w1, gy2, w2, gxOut, false);
        assertWithinScale(name + " backwardInput pair", gx, gxScale, gxOut);
        Tensor gxAcc = copy(gx0);
        Conv2dKernels.backwardInputPairInto(g, gy1, w1, gy2, w2, gxAcc, true);
        assertWithinScale(name + " backwardInput pair accumulate", plus(gx, gx0), plusAbs(gxScale, gx0), gxAcc);
    }

    /** The dispatch really reaches Winograd: its bits differ from the GEMM path's but equal a direct call. */
    @Test
    void modeSwitchesBetweenWinogradAndGemm() {
        ConvGeometry g = geometry(3, 8, 8, 8, 8, 1);
        Random rng = new Random(7);
        Tensor x = Tensor.randn(rng, 1f, g.inputShape()), w = Tensor.randn(rng, 1f, g.weightShape());
        Tensor direct = Tensor.zeros(g.outputShape()), gemm = Tensor.zeros(g.outputShape());
        WinogradConv2d.forward(g, new Tensor[] {x}, new Tensor[] {w}, null, direct, false);
        GemmConv2d.forward(g, x, w, null, gemm, false);
        assertBitIdentical("ALWAYS runs Winograd", direct.data(), Conv2dKernels.forward(g, x, w, null).data());
        Winograd.setMode(Winograd.Mode.NEVER);
        assertFalse(WinogradConv2d.useForward(g));
        assertBitIdentical("NEVER runs the GEMM path", gemm.data(), Conv2dKernels.forward(g, x, w, null).data());
        boolean differ = false;
        for (int i = 0; i < direct.size(); i++) differ |= direct.data()[i] != gemm.data()[i];
        assertTrue(differ, "Winograd and GEMM round differently somewhere, so the bit checks above can tell them apart");
    }

    /** AUTO takes Winograd for a training batch of ResNet-20's 64-channel convolution, not for one image (16 tiles). */
    @Test
    void autoNeedsEnoughTilesInTheBatch() {
        ConvGeometry one = ConvGeometry.builder().batch(1).input(64, 8, 8).outChannels(64).kernel(3).padding(1).build();
        ConvGeometry many = ConvGeometry.builder().batch(64).input(64, 8, 8).outChannels(64).kernel(3).padding(1).build();
        assertFalse(WinogradConv2d.worthwhile(one));
        assertTrue(WinogradConv2d.worthwhile(many));
        ConvGeometry thin = ConvGeometry.builder().batch(64).input(16, 32, 32).outChannels(16).kernel(3).padding(1).build();
        assertFalse(WinogradConv2d.worthwhile(thin), "16 channels: the GEMMs are too thin whatever the batch");
    }

    /**
     * The weight gradient's rule, shape by shape as measured (WinogradConv2d.worthwhileForWeights): from 128
     * channels with enough tiles; from 48 channels on maps of 16x16 and more; never at 8x8 below 128, nor
     * at 32 channels, so ResNet-20's own layers keep the GEMM path.
     */
    @Test
    void theWeightGradientTakesWinogradWhereItWasMeasuredFaster() {
        record Case(int n, int cin, int cout, int size, boolean winograd) {}
        for (Case c : new Case[] {
                new Case(64, 64, 64, 32, true), new Case(128, 64, 128, 16, true), new Case(64, 128, 64, 16, true),
                new Case(128, 48, 96, 16, true), new Case(64, 128, 256, 8, true), new Case(64, 256, 256, 8, true),
                new Case(128, 64, 64, 8, false), new Case(128, 64, 128, 8, false), new Case(128, 32, 32, 16, false),
                new Case(128, 32, 64, 16, false), new Case(128, 16, 16, 32, false), new Case(64, 512, 512, 4, false),
                new Case(1, 64, 64, 16, false)}) {
            ConvGeometry g = ConvGeometry.builder().batch(c.n()).input(c.cin(), c.size(), c.size()).outChannels(c.cout()).kernel(3)
                    .padding(1).build();
            assertEquals(c.winograd(), WinogradConv2d.worthwhileForWeights(g), c.toString());
        }
    }

    @Test
    void unsupportedGeometriesAreNotDispatchedAndThrowIfCalledDirectly() {
        ConvGeometry stride2 = ConvGeometry.builder().batch(2).input(4, 8, 8).outChannels(4).kernel(3).stride(2)
                .padding(1).build();
        ConvGeometry pad3 = geometry(1, 2, 4, 4, 2, 3);
        ConvGeometry grouped = ConvGeometry.builder().batch(1).input(4, 6, 6).outChannels(4).kernel(3).padding(1)
                .groups(2).build();
        assertFalse(WinogradConv2d.useForward(stride2));
        assertFalse(WinogradConv2d.useForward(grouped));
        assertTrue(WinogradConv2d.useForward(pad3));
        assertFalse(WinogradConv2d.useBackwardInput(pad3));
        Tensor x = Tensor.zeros(stride2.inputShape()), w = Tensor.zeros(stride2.weightShape());
        assertThrows(IllegalArgumentException.class, () -> WinogradConv2d.forward(stride2, new Tensor[] {x},
                new Tensor[] {w}, null, Tensor.zeros(stride2.outputShape()), false));
        // Padding 3 still gives correct input gradients through the GEMM path.
        Random rng = new Random(3);
        Tensor gy = Tensor.randn(rng, 1f, pad3.outputShape()), w3 = Tensor.randn(rng, 1f, pad3.weightShape());
        double[] gx = ConvReference.backwardInput(pad3, gy, w3);
        assertWithinScale("pad 3 backwardInput", gx, ConvReference.backwardInput(pad3, abs(gy), abs(w3)),
                Conv2dKernels.backwardInput(pad3, gy, w3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void bitIdenticalForOneAndTwoThreads(String name, ConvGeometry g) {
        Random rng = new Random(name.hashCode() * 31L);
        Tensor x1 = Tensor.randn(rng, 1f, g.inputShape()), w1 = Tensor.randn(rng, 1f, g.weightShape());
        Tensor x2 = Tensor.randn(rng, 1f, g.inputShape()), w2 = Tensor.randn(rng, 1f, g.weightShape());
        Tensor b = Tensor.randn(rng, 1f, g.biasShape()), gy = Tensor.randn(rng, 1f, g.outputShape());
        float[][] one = KernelTesting.withThreads(1, () -> run(g, x1, w1, x2, w2, b, gy));
        float[][] two = KernelTesting.withThreads(2, () -> run(g, x1, w1, x2, w2, b, gy));
        for (int i = 0; i < one.length; i++) assertBitIdentical(name + " result " + i, one[i], two[i]);
    }

    private static float[][] run(ConvGeometry g, Tensor x1, Tensor w1, Tensor x2, Tensor w2, Tensor b, Tensor gy) {
        Tensor pair = Tensor.zeros(g.outputShape()), gxPair = Tensor.zeros(g.inputShape());
        Conv2dKernels.forwardPairInto(g, x1, w1, x2, w2, b, pair, false);
        Conv2dKernels.backwardInputPairInto(g, gy, w1, gy, w2, gxPair, false);
        return new float[][] {Conv2dKernels.forward(g, x1, w1, b).data(), Conv2dKernels.backwardInput(g, gy, w1).data(),
            Conv2dKernels.backwardWeight(g, x1, gy).data(), pair.data(), gxPair.data()};
    }

    /** A ResNet-sized layer, to cover full vectors of 16 lanes and several chunks and partial sums. */
    @Test
    void resnetSizedLayerMatchesReferenceOnBothPaths() {
        ConvGeometry g = geometry(18, 16, 8, 8, 16, 1);
        Random rng = new Random(11);
        Tensor x = Tensor.randn(rng, 1f, g.inputShape()), w = Tensor.randn(rng, 1f, g.weightShape());
        Tensor gy = Tensor.randn(rng, 1f, g.outputShape());
        double[] y = ConvReference.forward(g, x, w, null), yScale = ConvReference.forward(g, abs(x), abs(w), null);
        double[] gw = ConvReference.backwardWeight(g, x, gy), gwScale = ConvReference.backwardWeight(g, abs(x), abs(gy));
        KernelTesting.onBothPaths(path -> {
            assertWithinScale("forward " + path, y, yScale, Conv2dKernels.forward(g, x, w, null));
            assertWithinScale("backwardWeight " + path, gw, gwScale, Conv2dKernels.backwardWeight(g, x, gy));
        });
    }

    /** The vector transforms are the scalar ones, tile by tile, bit for bit (whole vectors and a tail). */
    @Test
    void vectorTransformsEqualScalarTwins() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Simd.available(), "no Vector API in this JVM");
        Random rng = new Random(5);
        for (int tiles : new int[] {1, 16, 19, 35}) {
            int tilesW = 3, parityStride = tiles + tilesW, xiStride = tiles + 5;
            float[] r = KernelTesting.gaussian(rng, 8 * parityStride, 1);
            float[] vs = new float[16 * xiStride], vv = new float[16 * xiStride];
            WinogradTransforms.inputColumns(r, 0, parityStride, tilesW, vs, 0, xiStride, 0, tiles);
            WinogradTransformsVector.inputColumns(r, 0, parityStride, tilesW, vv, 0, xiStride, tiles);
            KernelTesting.assertSameValues("input transform, tiles " + tiles, vs, vv);

            float[] ys = new float[4 * tiles], yv = new float[4 * tiles];
            WinogradTransforms.outputTiles(vs, 0, xiStride, ys, 0, tiles, 0, tiles);
            WinogradTransformsVector.outputTiles(vs, 0, xiStride, yv, 0, tiles, tiles);
            KernelTesting.assertSameValues("output transform, tiles " + tiles, ys, yv);

            float[] gs = new float[16 * xiStride], gv = new float[16 * xiStride];
            WinogradTransforms.gradientTiles(ys, 0, tiles, gs, 0, xiStride, 0, tiles);
            WinogradTransformsVector.gradientTiles(ys, 0, tiles, gv, 0, xiStride, tiles);
            KernelTesting.assertSameValues("gradient transform, tiles " + tiles, gs, gv);

            int[] idx = new int[tiles];
            for (int z = 0; z < tiles; z++) idx[z] = (z * 7) % (3 * tiles);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] outS = KernelTesting.gaussian(new Random(tiles), tiles + 3, 1), outV = outS.clone();
                int base = tiles / 2;
                WinogradTransforms.storeOutput(ys, base, idx, 0.25f, outS, 3, accumulate, 0, tiles);
                WinogradTransformsVector.storeOutput(ys, base, idx, 0.25f, outV, 3, accumulate, tiles);
                KernelTesting.assertSameValues("store output, tiles " + tiles + " accumulate " + accumulate, outS, outV);
            }
        }
    }

    /**
     * The vector row transform is the scalar one tile by tile, bit for bit, for rows of fewer tiles
     * than half a vector, exactly a half vector, and more with a remainder; its writes past the last
     * tile stay within half a vector.
     */
    @Test
    void vectorRowTransformEqualsScalarTwin() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Simd.available(), "no Vector API in this JVM");
        Random rng = new Random(13);
        int lanes = WinogradTransformsVector.lanes();
        for (int tilesW : new int[] {1, 3, lanes / 2, lanes / 2 + 1, 17}) {
            float[] row = new float[2 * tilesW + 2 + 2 * lanes];
            float[] values = KernelTesting.gaussian(rng, 2 * tilesW + 2, 1);
            System.arraycopy(values, 0, row, 0, values.length);
            int planeStride = tilesW + lanes, size = 4 * planeStride;
            float[] expected = new float[size], got = new float[size];
            WinogradTransforms.inputRow(row, tilesW, expected, 0, planeStride);
            WinogradTransformsVector.inputRow(row, tilesW, got, 0, planeStride);
            for (int j = 0; j < 4; j++) {
                for (int tx = 0; tx < tilesW; tx++) {
                    assertEquals(Float.floatToRawIntBits(expected[j * planeStride + tx]), Float.floatToRawIntBits(got[j * planeStride + tx]),
                            "row transform, " + tilesW + " tiles, plane " + j + ", tile " + tx);
                }
            }
        }
    }

    /** Two rows of a quarter vector of tiles transformed together are the scalar transform of each, bit for bit. */
    @Test
    void vectorRowPairTransformEqualsScalarTwin() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Simd.available(), "no Vector API in this JVM");
        Random rng = new Random(17);
        int lanes = WinogradTransformsVector.lanes(), tilesW = lanes / 4;
        float[] a = new float[2 * tilesW + 2 + 2 * lanes], b = new float[a.length];
        System.arraycopy(KernelTesting.gaussian(rng, 2 * tilesW + 2, 1), 0, a, 0, 2 * tilesW + 2);
        System.arraycopy(KernelTesting.gaussian(rng, 2 * tilesW + 2, 1), 0, b, 0, 2 * tilesW + 2);
        int planeStride = 2 * tilesW + lanes;
        float[] expected = new float[4 * planeStride], got = new float[4 * planeStride];
        WinogradTransforms.inputRow(a, tilesW, expected, 0, planeStride);
        WinogradTransforms.inputRow(b, tilesW, expected, tilesW, planeStride);
        WinogradTransformsVector.inputRowPair(a, b, got, 0, planeStride);
        for (int j = 0; j < 4; j++) {
            for (int t = 0; t < 2 * tilesW; t++) {
                assertEquals(Float.floatToRawIntBits(expected[j * planeStride + t]), Float.floatToRawIntBits(got[j * planeStride + t]),
                        "row pair transform, plane " + j + ", tile " + t);
            }
        }
    }

    /**
     * The vector filter transform is the scalar one filter by filter, bit for bit, for filters read in
     * order and read rotated from a transposed layout (an input gradient's), whole vectors and a tail.
     */
    @Test
    void vectorFilterTransformEqualsScalarTwin() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Simd.available(), "no Vector API in this JVM");
        Random rng = new Random(9);
        for (int count : new int[] {1, 16, 19, 35}) {
            int others = 3, xiStride = count + 5;
            float[] w = KernelTesting.gaussian(rng, 9 * count * others, 1);
            for (boolean rotated : new boolean[] {false, true}) {
                // Filter f of the run: in order at 9 f, or the second of `others` filters of row f, rotated.
                int first = rotated ? 9 + 8 : 0, stride = rotated ? 9 * others : 9, step = rotated ? -1 : 1;
                float[] expected = new float[16 * xiStride], got = new float[16 * xiStride];
                float[] one = new float[9];
                for (int f = 0; f < count; f++) {
                    for (int t = 0; t < 9; t++) one[t] = w[first + f * stride + t * step];
                    WinogradTransforms.filter(one, 0, expected, f, xiStride);
                }
                WinogradTransformsVector.filters(w, first, stride, step, count, got, 0, xiStride,
                        new float[WinogradTransformsVector.FILTER_STAGE]);
                KernelTesting.assertSameValues("filters, count " + count + " rotated " + rotated, expected, got);
            }
        }
    }
}
