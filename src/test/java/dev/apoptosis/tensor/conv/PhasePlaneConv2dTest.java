package dev.apoptosis.tensor.conv;

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
 * {@link PhasePlaneConv2d} against the double-precision loops of {@link ConvReference} and against
 * im2col + GEMM bit for bit: even and odd image sizes (a phase one row or column short), widths
 * around NR, ragged filter panels, one image.
 */
class PhasePlaneConv2dTest {
    private int savedThreads;

    @BeforeEach
    void force() {
        savedThreads = Parallel.threads();
        ConvPath.SMALL_OUTPUTS.force(false);
        ConvPath.PHASE_PLANES.force(true);
    }

    @AfterEach
    void restore() {
        ConvPath.PHASE_PLANES.force(null);
        ConvPath.SMALL_OUTPUTS.force(null);
        Parallel.setThreads(savedThreads);
    }

    static Stream<Arguments> geometries() {
        int nr = GemmVectorKernel.NR;
        Stream<Arguments> own = Stream.of(
                Arguments.of("ResNet downsampling 16 to 32, batch 3", conv(3, 16, 32, 32, 32, 3).build()),
                Arguments.of("odd sizes 9x7", conv(2, 5, 9, 7, 11, 3).build()),
                Arguments.of("1x1 image", conv(2, 3, 1, 1, 4, 3).build()),
                Arguments.of("one row, odd width", conv(2, 3, 1, 2 * nr + 3, 5, 3).build()),
                Arguments.of("output NR wide", conv(1, 4, 6, 2 * nr, 9, 3).build()),
                Arguments.of("output NR + 1 wide, odd input", conv(2, 2, 5, 2 * nr + 1, 3, 3).build()),
                Arguments.of("one k block at its limit", conv(2, 113, 6, 5, 8, 3).build()));
        return Stream.concat(Conv2dKernelsTest.geometries(), own)
                .filter(a -> PhasePlaneConv2d.supports((ConvGeometry) a.get()[1], 2));
    }

    private static ConvGeometry.Builder conv(int n, int cin, int h, int w, int cout, int k) {
        return ConvGeometry.builder().batch(n).input(cin, h, w).outChannels(cout).kernel(k).stride(2).padding(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void matchesReference(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the phase-plane GEMM is a Vector API path");
        ConvPathChecks.matchesReference(name, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void resultsDoNotDependOnThreadCount(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the phase-plane GEMM is a Vector API path");
        ConvPathChecks.doesNotDependOnThreadCount(name, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void equalsTheIm2colPathBitForBit(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the phase-plane GEMM is a Vector API path");
        ConvPathChecks.equalsTheIm2colPathBitForBit(name, g, ConvPath.PHASE_PLANES::force, true);
    }

    /** Which geometries take this path unforced, and which it cannot take. */
    @Test
    void appliesToStrideTwoThreeByThreeOntoSixteenWide() {
        assumeTrue(Simd.enabled(), "the phase-plane GEMM is a Vector API path");
        ConvPath.PHASE_PLANES.force(null);
        assertTrue(PhasePlaneConv2d.applies(conv(128, 16, 32, 32, 32, 3).build(), 1), "ResNet-20 layer2.0.conv1");
        assertTrue(PhasePlaneConv2d.applies(conv(128, 11, 32, 32, 23, 3).build(), 2), "pruned, a pair");
        assertFalse(PhasePlaneConv2d.applies(conv(128, 32, 16, 16, 64, 3).build(), 1), "onto 8x8");
        assertFalse(PhasePlaneConv2d.supports(conv(2, 16, 16, 16, 16, 1).padding(0).build(), 1), "1x1");
        assertFalse(PhasePlaneConv2d.supports(conv(2, 16, 16, 16, 16, 3).stride(1).build(), 1), "stride 1");
        assertFalse(PhasePlaneConv2d.supports(conv(2, 16, 16, 16, 16, 3).dilation(2).padding(2).build(), 1), "dilation");
        assertFalse(PhasePlaneConv2d.supports(conv(2, 114, 16, 16, 16, 3).build(), 1), "k = 1026, two blocks");
    }
}
