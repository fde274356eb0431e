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
 * {@link PaddedPlaneWeightGradient} against the double-precision loops of {@link ConvReference}: every
 * geometry of {@link Conv2dKernelsTest} it supports, forced onto this path, and shapes of its own:
 * batches that split unevenly into chunks and tiles, several images per tile (planes end to end),
 * output channels that leave a block of four ragged (or, transposed, a remainder of four input
 * channels), kernels 1 and 5 high, and 3x3 stride 2 over phase planes (even and odd sizes).
 */
class PaddedPlaneWeightGradientTest {
    private int savedThreads;

    @BeforeEach
    void force() {
        savedThreads = Parallel.threads();
        ConvPath.PADDED_PLANE_WEIGHTS.force(true);
    }

    @AfterEach
    void restore() {
        ConvPath.PADDED_PLANE_WEIGHTS.force(null);
        Parallel.setThreads(savedThreads);
    }

    static Stream<Arguments> geometries() {
        Stream<Arguments> own = Stream.of(
                Arguments.of("ResNet stage 1 shape, batch 5", conv(5, 16, 32, 32, 16, 3).padding(1).build()),
                Arguments.of("batch 11 of 6x7 images, tiles of several", conv(11, 3, 6, 7, 9, 3).padding(1).build()),
                Arguments.of("ragged block of filters", conv(6, 5, 9, 10, 11, 3).padding(1).build()),
                Arguments.of("5x3 kernel pad 2x1", conv(7, 4, 9, 7, 6, 3).kernel(5, 3).padding(2, 1).build()),
                Arguments.of("1x3 kernel pad 0x1", conv(9, 3, 4, 9, 5, 3).kernel(1, 3).padding(0, 1).build()),
                Arguments.of("one image", conv(1, 7, 17, 16, 3, 3).padding(1).build()),
                Arguments.of("stride 2, ResNet downsampling, batch 5", conv(5, 16, 32, 32, 32, 3).stride(2).padding(1).build()),
                // 3 images of 16x16 outputs fill a tile: the buffers' ends are reached.
                Arguments.of("stride 2, full tiles, batch 12", conv(12, 3, 32, 32, 5, 3).stride(2).padding(1).build()),
                Arguments.of("stride 1, full tiles, batch 12", conv(12, 3, 16, 16, 5, 3).padding(1).build()),
                Arguments.of("stride 2, odd sizes, batch 11", conv(11, 3, 9, 7, 6, 3).stride(2).padding(1).build()),
                Arguments.of("stride 2, one row", conv(3, 2, 1, 9, 5, 3).stride(2).padding(1).build()),
                Arguments.of("stride 2, ragged filters", conv(4, 5, 10, 12, 11, 3).stride(2).padding(1).build()),
                // A last filter or two run transposed, four input channels a call (transposesRemainder).
                Arguments.of("pruned 16 to 5, remainder transposed", conv(3, 16, 32, 32, 5, 3).padding(1).build()),
                Arguments.of("pruned 16 to 2, no full block", conv(3, 16, 32, 32, 2, 3).padding(1).build()),
                Arguments.of("pruned 30 to 10, channels not a multiple of 4", conv(5, 30, 16, 16, 10, 3).padding(1).build()),
                Arguments.of("pruned 13 to 7 at 8x8, several images a tile", conv(9, 13, 8, 8, 7, 3).padding(1).build()));
        return Stream.concat(Conv2dKernelsTest.geometries(), own)
                .filter(a -> PaddedPlaneWeightGradient.supports((ConvGeometry) a.get()[1]));
    }

    private static ConvGeometry.Builder conv(int n, int cin, int h, int w, int cout, int k) {
        return ConvGeometry.builder().batch(n).input(cin, h, w).outChannels(cout).kernel(k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void matchesReference(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the padded-plane weight gradient is a Vector API path");
        ConvPathChecks.weightGradientMatchesReference(name, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void resultsDoNotDependOnThreadCount(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the padded-plane weight gradient is a Vector API path");
        ConvPathChecks.weightGradientDoesNotDependOnThreadCount(name, g);
    }

    /** Which geometries take this path unforced, and which it cannot take. */
    @Test
    void appliesSixteenWideWhereRowsAreNotReadInPlaceAndToFewFilters() {
        assumeTrue(Simd.enabled(), "the padded-plane weight gradient is a Vector API path");
        ConvPath.PADDED_PLANE_WEIGHTS.force(null);
        ConvGeometry stage1 = conv(128, 16, 32, 32, 16, 3).padding(1).build();
        assertTrue(PaddedPlaneWeightGradient.applies(stage1, false), "ResNet-20 stage 1");
        assertFalse(PaddedPlaneWeightGradient.applies(conv(128, 32, 16, 16, 32, 3).padding(1).build(), true),
                "patch rows read in place");
        assertFalse(PaddedPlaneWeightGradient.applies(conv(128, 45, 8, 8, 45, 3).padding(1).build(), false), "8 wide");
        assertTrue(PaddedPlaneWeightGradient.applies(conv(128, 39, 8, 8, 16, 3).padding(1).build(), false), "8 wide, 16 filters");
        assertFalse(PaddedPlaneWeightGradient.applies(conv(128, 39, 2, 2, 16, 3).padding(1).build(), false), "2 wide");
        assertTrue(PaddedPlaneWeightGradient.supports(conv(2, 16, 16, 16, 16, 3).padding(1).stride(2).build()), "stride 2");
        assertFalse(PaddedPlaneWeightGradient.supports(conv(2, 16, 16, 16, 16, 3).padding(1).stride(3).build()), "stride 3");
        assertFalse(PaddedPlaneWeightGradient.supports(conv(2, 16, 16, 16, 16, 5).padding(2).stride(2).build()), "5x5 stride 2");
        assertFalse(PaddedPlaneWeightGradient.supports(conv(2, 16, 16, 16, 16, 3).build()), "no padding");
        assertFalse(PaddedPlaneWeightGradient.supports(conv(2, 16, 16, 16, 16, 3).padding(1).dilation(2).build()), "dilation");
        assertFalse(PaddedPlaneWeightGradient.supports(conv(2, 16, 16, 16, 16, 3).padding(1).groups(2).build()), "groups");
    }

    /** Which remainders of filters run transposed: only where that takes fewer kernel calls, and never at stride 2. */
    @Test
    void transposesARemainderWhenThatTakesFewerCalls() {
        assertTrue(PaddedPlaneWeightGradient.transposesRemainder(conv(2, 16, 32, 32, 5, 3).padding(1).build()), "16 to 5");
        assertTrue(PaddedPlaneWeightGradient.transposesRemainder(conv(2, 16, 32, 32, 7, 3).padding(1).build()), "16 to 7");
        assertFalse(PaddedPlaneWeightGradient.transposesRemainder(conv(2, 16, 32, 32, 8, 3).padding(1).build()), "no remainder");
        assertFalse(PaddedPlaneWeightGradient.transposesRemainder(conv(2, 5, 9, 10, 11, 3).padding(1).build()),
                "5 to 11: 3 filters x 2 channel blocks is more calls than 5 channels");
        assertFalse(PaddedPlaneWeightGradient.transposesRemainder(conv(2, 16, 32, 32, 11, 3).padding(1).stride(2).build()), "stride 2");
    }
}
