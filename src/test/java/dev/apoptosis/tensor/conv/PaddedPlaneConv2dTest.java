package dev.apoptosis.tensor.conv;

import static dev.apoptosis.tensor.conv.Conv2dKernelsTest.plus;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.gemm.GemmVectorKernel;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PaddedPlaneConv2d} against the double-precision loops of {@link ConvReference} and against
 * im2col + GEMM bit for bit: every geometry of {@link Conv2dKernelsTest} it supports, forced onto this
 * path (widths 1 to 33, so runs of positions cross rows, end in the junk column and overrun the last
 * row), plus shapes of its own. The input gradient of a stride-1 "same" convolution is such a
 * convolution too.
 */
class PaddedPlaneConv2dTest {
    private int savedThreads;

    @BeforeEach
    void force() {
        savedThreads = Parallel.threads();
        ConvPath.SMALL_OUTPUTS.force(false);
        ConvPath.PADDED_PLANES.force(true);
    }

    @AfterEach
    void restore() {
        ConvPath.PADDED_PLANES.force(null);
        ConvPath.SMALL_OUTPUTS.force(null);
        Parallel.setThreads(savedThreads);
    }

    static Stream<Arguments> geometries() {
        int nr = GemmVectorKernel.NR;
        Stream<Arguments> own = Stream.of(
                Arguments.of("ResNet stage 1 shape, batch 3", conv(3, 16, 32, 32, 16, 3).padding(1).build()),
                Arguments.of("width NR + 1, ragged filters", conv(2, 5, 6, nr + 1, 11, 3).padding(1).build()),
                Arguments.of("width NR - 1", conv(2, 7, 3, nr - 1, 9, 3).padding(1).build()),
                Arguments.of("pruned 16 to 5 (a 6-row panel kernel)", conv(2, 16, 4, nr + 3, 5, 3).padding(1).build()),
                Arguments.of("16 to 14: a last panel of 6", conv(2, 16, 3, nr, 14, 3).padding(1).build()),
                Arguments.of("pruned 16 to 2 (the 2-row kernel)", conv(2, 16, 4, nr + 3, 2, 3).padding(1).build()),
                Arguments.of("6 to 10: a last panel of 2", conv(2, 6, 3, nr, 10, 3).padding(1).build()),
                Arguments.of("2 to 16: an input gradient of 2 channels", conv(2, 2, 4, nr + 1, 16, 3).padding(1).build()),
                Arguments.of("5x3 kernel pad 2x1", conv(2, 4, 9, 7, 6, 3).kernel(5, 3).padding(2, 1).build()),
                Arguments.of("1x3 kernel pad 0x1", conv(2, 3, 4, 9, 5, 3).kernel(1, 3).padding(0, 1).build()),
                Arguments.of("one k block at its limit", conv(2, 113, 5, 6, 8, 3).padding(1).build()));
        return Stream.concat(Conv2dKernelsTest.geometries(), own)
                .filter(a -> PaddedPlaneConv2d.supports((ConvGeometry) a.get()[1], 2));
    }

    private static ConvGeometry.Builder conv(int n, int cin, int h, int w, int cout, int k) {
        return ConvGeometry.builder().batch(n).input(cin, h, w).outChannels(cout).kernel(k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void matchesReference(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the padded-plane GEMM is a Vector API path");
        ConvPathChecks.matchesReference(name, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void resultsDoNotDependOnThreadCount(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the padded-plane GEMM is a Vector API path");
        ConvPathChecks.doesNotDependOnThreadCount(name, g);
    }

    /**
     * The same values as im2col + GEMM, bit for bit (a zero's sign aside): the same k order in one k
     * block, padding taps multiplying zeros on both paths. Forward with bias, accumulating, its pair
     * form and the input gradient.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void equalsTheIm2colPathBitForBit(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the padded-plane GEMM is a Vector API path");
        ConvPathChecks.equalsTheIm2colPathBitForBit(name, g, ConvPath.PADDED_PLANES::force, true);
    }

    /** Which geometries take this path unforced, and which it cannot take. */
    @Test
    void appliesToSameConvolutionsSixteenWideUnlessFewInputsMeetManyFilters() {
        assumeTrue(Simd.enabled(), "the padded-plane GEMM is a Vector API path");
        ConvPath.PADDED_PLANES.force(null);
        assertTrue(PaddedPlaneConv2d.applies(conv(128, 16, 32, 32, 16, 3).padding(1).build(), 1), "ResNet-20 stage 1");
        assertTrue(PaddedPlaneConv2d.applies(conv(128, 23, 16, 16, 23, 3).padding(1).build(), 2), "pruned, a pair");
        assertTrue(PaddedPlaneConv2d.applies(conv(128, 11, 32, 32, 11, 3).padding(1).build(), 1), "pruned to 11 channels");
        assertTrue(PaddedPlaneConv2d.applies(conv(128, 2, 32, 32, 2, 3).padding(1).build(), 1), "few filters");
        assertFalse(PaddedPlaneConv2d.applies(conv(128, 3, 32, 32, 16, 3).padding(1).build(), 1), "3 channels to 16");
        assertFalse(PaddedPlaneConv2d.applies(conv(128, 3, 32, 32, 16, 3).padding(1).build(), 2), "a pair of them: k = 54");
        assertTrue(PaddedPlaneConv2d.applies(conv(128, 6, 32, 32, 16, 3).padding(1).build(), 2), "a pair, k = 108");
        assertFalse(PaddedPlaneConv2d.applies(conv(128, 8, 32, 32, 16, 3).padding(1).build(), 1), "8 channels to 16");
        assertTrue(PaddedPlaneConv2d.applies(conv(128, 5, 32, 32, 11, 3).padding(1).build(), 1), "a last panel of 3 filters");
        assertFalse(PaddedPlaneConv2d.applies(conv(128, 16, 8, 8, 16, 3).padding(1).build(), 1), "8 wide");
        assertFalse(PaddedPlaneConv2d.supports(conv(2, 16, 16, 16, 16, 3).padding(1).stride(2).build(), 1), "stride 2");
        assertFalse(PaddedPlaneConv2d.supports(conv(2, 16, 16, 16, 16, 3).build(), 1), "no padding");
        assertFalse(PaddedPlaneConv2d.supports(conv(2, 16, 16, 16, 16, 5).padding(2).build(), 1), "5 wide");
        assertFalse(PaddedPlaneConv2d.supports(conv(2, 16, 16, 16, 16, 3).padding(1).groups(2).build(), 1), "groups");
        assertTrue(PaddedPlaneConv2d.supports(conv(2, 113, 16, 16, 16, 3).padding(1).build(), 1), "k = 1017, one block");
        assertFalse(PaddedPlaneConv2d.supports(conv(2, 114, 16, 16, 16, 3).padding(1).build(), 1), "k = 1026, two blocks");
        assertFalse(PaddedPlaneConv2d.supports(conv(2, 57, 16, 16, 16, 3).padding(1).build(), 2), "a pair of 57 channels");
    }
}
