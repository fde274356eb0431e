package dev.apoptosis.tensor.conv;

import static dev.apoptosis.testing.Assertions2.assertClose;
import static dev.apoptosis.tensor.conv.Conv2dKernelsTest.randn;
import static dev.apoptosis.tensor.conv.Conv2dKernelsTest.tol;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * {@link BatchInnerWeightGradient} against the double-precision loops of {@link ConvReference}: every
 * geometry of {@link Conv2dKernelsTest} it supports, forced onto this path, and shapes of its own:
 * batches that are not a multiple of the transposes' 16 images, filters that leave a block of four
 * ragged, kernels 1 and 5 high, pruned 8x8 widths and non-square images.
 */
class BatchInnerWeightGradientTest {
    private int savedThreads;

    @BeforeEach
    void force() {
        savedThreads = Parallel.threads();
        ConvPath.BATCH_INNER_WEIGHTS.force(true);
    }

    @AfterEach
    void restore() {
        ConvPath.BATCH_INNER_WEIGHTS.force(null);
        Parallel.setThreads(savedThreads);
    }

    static Stream<Arguments> geometries() {
        Stream<Arguments> own = Stream.of(
                Arguments.of("ResNet stage 3 shape, batch 16", conv(16, 64, 8, 8, 64, 3).padding(1).build()),
                Arguments.of("pruned 39 to 18, batch 21", conv(21, 39, 8, 8, 18, 3).padding(1).build()),
                Arguments.of("pruned 14 to 39, batch 5", conv(5, 14, 8, 8, 39, 3).padding(1).build()),
                Arguments.of("one filter, batch 33", conv(33, 3, 4, 4, 1, 3).padding(1).build()),
                Arguments.of("non-square 5x7, batch 17", conv(17, 6, 5, 7, 9, 3).padding(1).build()),
                Arguments.of("5x3 kernel pad 2x1", conv(7, 4, 9, 7, 6, 3).kernel(5, 3).padding(2, 1).build()),
                Arguments.of("1x3 kernel pad 0x1", conv(9, 3, 4, 9, 5, 3).kernel(1, 3).padding(0, 1).build()),
                Arguments.of("1x1 images", conv(18, 8, 1, 1, 8, 3).padding(1).build()));
        return Stream.concat(Conv2dKernelsTest.geometries(), own)
                .filter(a -> BatchInnerWeightGradient.supports((ConvGeometry) a.get()[1]));
    }

    private static ConvGeometry.Builder conv(int n, int cin, int h, int w, int cout, int k) {
        return ConvGeometry.builder().batch(n).input(cin, h, w).outChannels(cout).kernel(k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void matchesReference(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the batch-innermost weight gradient is a Vector API path");
        ConvPathChecks.weightGradientMatchesReference(name, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void resultsDoNotDependOnThreadCount(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the batch-innermost weight gradient is a Vector API path");
        ConvPathChecks.weightGradientDoesNotDependOnThreadCount(name, g);
    }

    /** The images that pad the batch to 16 are zeros, not what an earlier, fuller call left in the buffers. */
    @Test
    void paddingImagesAreZeroAfterAFullerCall() {
        assumeTrue(Simd.enabled(), "the batch-innermost weight gradient is a Vector API path");
        Parallel.setThreads(1);
        Random rng = new Random(3);
        ConvGeometry full = conv(16, 5, 8, 8, 6, 3).padding(1).build(), fewer = conv(15, 5, 8, 8, 6, 3).padding(1).build();
        Conv2dKernels.backwardWeight(full, randn(rng, full.inputShape()), randn(rng, full.outputShape()));
        Tensor x = randn(rng, fewer.inputShape()), gy = randn(rng, fewer.outputShape());
        double[] gw = ConvReference.backwardWeight(fewer, x, gy);
        assertClose("15 images after 16", gw, Conv2dKernels.backwardWeight(fewer, x, gy).data(), 0, 1e-5, tol(gw));
    }

    /** Which geometries take this path unforced. */
    @Test
    void appliesSixToFifteenWideWhereRowsAreNotReadInPlace() {
        assumeTrue(Simd.enabled(), "the batch-innermost weight gradient is a Vector API path");
        ConvPath.BATCH_INNER_WEIGHTS.force(null);
        assertTrue(BatchInnerWeightGradient.applies(conv(128, 39, 8, 8, 16, 3).padding(1).build(), false), "pruned 8x8");
        assertFalse(BatchInnerWeightGradient.applies(conv(128, 64, 8, 8, 64, 3).padding(1).build(), true), "rows read in place");
        assertFalse(BatchInnerWeightGradient.applies(conv(128, 39, 4, 4, 16, 3).padding(1).build(), false), "4 wide");
        assertFalse(BatchInnerWeightGradient.applies(conv(128, 30, 16, 16, 9, 3).padding(1).build(), false), "16 wide");
        assertFalse(BatchInnerWeightGradient.applies(conv(8, 39, 8, 8, 16, 3).padding(1).build(), false), "8 images");
        assertFalse(BatchInnerWeightGradient.applies(conv(128, 1000, 14, 14, 16, 3).padding(1).build(), false), "input copy too large");
        assertFalse(BatchInnerWeightGradient.supports(conv(128, 39, 16, 16, 16, 3).padding(1).stride(2).build()), "stride 2");
    }
}
