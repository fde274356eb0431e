package dev.apoptosis.tensor.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.apoptosis.tensor.conv.Conv2dKernelsTest.plus;
import static dev.apoptosis.tensor.conv.Conv2dKernelsTest.randn;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.gemm.GemmVectorKernel;
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
 * {@link ImplicitGemmConv2d} against the double-precision loops of {@link ConvReference}: every
 * geometry of {@link Conv2dKernelsTest} it supports, forced onto this path whatever the batch (so
 * image panels are ragged: their spare columns must never reach y), plus batches that take it
 * unforced. The input gradient of a stride-1 convolution is a forward pass here too.
 */
class ImplicitGemmConv2dTest {
    private int savedThreads;

    @BeforeEach
    void force() {
        savedThreads = Parallel.threads();
        ConvPath.SMALL_OUTPUTS.force(true);
    }

    @AfterEach
    void restore() {
        ConvPath.SMALL_OUTPUTS.force(null);
        Parallel.setThreads(savedThreads);
    }

    static Stream<Arguments> geometries() {
        Stream<Arguments> batches = Stream.of(
                Arguments.of("batch 32, 3x3 pad 1, 4x4", conv(32, 40, 4, 4, 45, 3).padding(1).build()),
                Arguments.of("batch 34, 2x2 pad 1, 11 filters", conv(34, 23, 2, 2, 11, 3).padding(1).build()),
                Arguments.of("batch 64, stride 2", conv(64, 8, 7, 6, 9, 3).stride(2).padding(1).build()),
                Arguments.of("batch 33, 5x5 dilation 2 pad 3", conv(33, 5, 6, 7, 10, 5).padding(3).dilation(2).build()),
                Arguments.of("batch 36, 1x1 stride 2", conv(36, 6, 5, 5, 13, 1).stride(2).build()));
        return Stream.concat(Conv2dKernelsTest.geometries().filter(a -> ImplicitGemmConv2d.supports((ConvGeometry) a.get()[1])),
                batches);
    }

    private static ConvGeometry.Builder conv(int n, int cin, int h, int w, int cout, int k) {
        return ConvGeometry.builder().batch(n).input(cin, h, w).outChannels(cout).kernel(k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void matchesReference(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the implicit GEMM is a Vector API path");
        ConvPathChecks.matchesReference(name, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void resultsDoNotDependOnThreadCount(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the implicit GEMM is a Vector API path");
        ConvPathChecks.doesNotDependOnThreadCount(name, g);
    }

    /**
     * The same values as im2col + GEMM, bit for bit (a zero's sign aside): the same k order, the same
     * k blocks, and the skipped products are exact zeros. So which path a batch takes (it depends on
     * the batch size) never shows in a sample's output. Forward with bias, its pair form and the input
     * gradient.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void equalsTheIm2colPathBitForBit(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the implicit GEMM is a Vector API path");
        // Not accumulating: adding onto y over several k blocks rounds differently on the two paths.
        ConvPathChecks.equalsTheIm2colPathBitForBit(name, g, ConvPath.SMALL_OUTPUTS::force, false);
    }

    /** Deep enough (k = 2304 > 1024) that both paths sum in several k blocks. */
    @Test
    void equalsTheIm2colPathAcrossKBlocks() {
        equalsTheIm2colPathBitForBit("256 channels 2x2", conv(3, 256, 2, 3, 9, 3).padding(1).build());
    }

    /** A batch larger than one input copy may hold runs in chunks of image panels: the same bits. */
    @Test
    void chunksOfTheBatchGiveTheSameBits() {
        assumeTrue(Simd.enabled(), "the implicit GEMM is a Vector API path");
        int nr = GemmVectorKernel.NR;
        ConvGeometry g = conv(3 * nr + 5, 6, 4, 5, 7, 3).padding(1).build();
        Random rng = new Random(5);
        Tensor x = randn(rng, g.inputShape()), w = randn(rng, g.weightShape()), b = randn(rng, g.biasShape());
        Tensor gy = randn(rng, g.outputShape()), w2 = randn(rng, g.weightShape()), gy2 = randn(rng, g.outputShape());
        float[] whole = Conv2dKernels.forward(g, x, w, b).toArray();
        Tensor gxWhole = randn(new Random(9), g.inputShape());
        Conv2dKernels.backwardInputPairInto(g, gy, w, gy2, w2, gxWhole, true);
        long saved = ImplicitGemmConv2d.maxInputFloats;
        try {
            ImplicitGemmConv2d.maxInputFloats = 2L * 6 * 4 * 5 * nr; // two panels of images per chunk
            assertEquals(2 * nr, ImplicitGemmConv2d.imagesPerChunk(g, 1));
            KernelTesting.assertSameValues("forward in chunks", whole, Conv2dKernels.forward(g, x, w, b).toArray());
            Tensor gx = randn(new Random(9), g.inputShape());
            Conv2dKernels.backwardInputPairInto(g, gy, w, gy2, w2, gx, true);
            KernelTesting.assertSameValues("input gradient pair in chunks", gxWhole.toArray(), gx.toArray());
        } finally {
            ImplicitGemmConv2d.maxInputFloats = saved;
        }
    }

    /** The batches that take this path unforced, and those that do not. */
    @Test
    void appliesToFullImagePanelsOnly() {
        assumeTrue(Simd.enabled(), "the implicit GEMM is a Vector API path");
        ConvPath.SMALL_OUTPUTS.force(null);
        int nr = GemmVectorKernel.NR;
        assertTrue(ImplicitGemmConv2d.applies(conv(2 * nr, 512, 4, 4, 512, 3).padding(1).build()));
        int fewest = (16 * nr + 8) / 9; // two panels for at most 9/8 of the batch
        assertTrue(ImplicitGemmConv2d.applies(conv(fewest, 16, 8, 8, 16, 3).padding(1).build()), "an eighth more work");
        assertFalse(ImplicitGemmConv2d.applies(conv(fewest - 1, 16, 8, 8, 16, 3).padding(1).build()));
        assertFalse(ImplicitGemmConv2d.applies(conv(nr - 1, 16, 8, 8, 16, 3).padding(1).build()));
        assertFalse(ImplicitGemmConv2d.applies(conv(2 * nr, 8, 8, 8, 8, 3).padding(1).groups(2).build()), "groups");
        assertFalse(ImplicitGemmConv2d.applies(conv(2 * nr, 8, 8, 8, 8, 1).build()), "1x1 in place");
        assertFalse(ImplicitGemmConv2d.applies(conv(2 * nr, 8, 8, 8, 8, 1).stride(2).build()), "1x1 strided");
        assertFalse(ImplicitGemmConv2d.applies(conv(2 * nr, 16, 16, 16, 16, 3).padding(1).build()), "16x16 stride 1");
        assertTrue(ImplicitGemmConv2d.applies(conv(2 * nr, 16, 16, 16, 32, 3).stride(2).padding(1).build()), "stride 2 onto 8x8");
        assertFalse(ImplicitGemmConv2d.applies(conv(2 * nr, 16, 32, 32, 32, 3).stride(2).padding(1).build()), "stride 2 onto 16x16");
    }
}
