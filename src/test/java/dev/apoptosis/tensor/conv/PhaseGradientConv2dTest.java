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
 * {@link PhaseGradientConv2d} against the double-precision loops of {@link ConvReference} (input gradient
 * written, and its pair form added onto a gradient) and across thread counts: ResNet-20's downsampling
 * layers and their pruned widths, phase rows around NR wide, ragged channel panels, one image.
 */
class PhaseGradientConv2dTest {
    private int savedThreads;

    @BeforeEach
    void force() {
        savedThreads = Parallel.threads();
        ConvPath.PHASE_GRADIENT.force(true);
    }

    @AfterEach
    void restore() {
        ConvPath.PHASE_GRADIENT.force(null);
        Parallel.setThreads(savedThreads);
    }

    static Stream<Arguments> geometries() {
        int nr = GemmVectorKernel.NR;
        Stream<Arguments> own = Stream.of(
                Arguments.of("ResNet-20 layer2.0.conv1, batch 3", conv(3, 16, 32, 32, 32).build()),
                Arguments.of("pruned 16 to 11", conv(2, 16, 32, 32, 11).build()),
                Arguments.of("pruned 30 to 14 onto 8x8", conv(2, 30, 16, 16, 14).build()),
                Arguments.of("2x2 input", conv(2, 3, 2, 2, 4).build()),
                Arguments.of("phase rows NR wide", conv(1, 9, 4, 2 * nr, 5).build()),
                Arguments.of("phase rows NR - 1 wide, one image", conv(1, 7, 6, 2 * nr - 2, 3).build()),
                Arguments.of("one output channel, many inputs", conv(2, 41, 6, 10, 1).build()));
        return Stream.concat(Conv2dKernelsTest.geometries(), own)
                .filter(a -> PhaseGradientConv2d.supports((ConvGeometry) a.get()[1]));
    }

    private static ConvGeometry.Builder conv(int n, int cin, int h, int w, int cout) {
        return ConvGeometry.builder().batch(n).input(cin, h, w).outChannels(cout).kernel(3).stride(2).padding(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void matchesReference(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the phase GEMMs are a Vector API path");
        ConvPathChecks.matchesReference(name, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void resultsDoNotDependOnThreadCount(String name, ConvGeometry g) {
        assumeTrue(Simd.enabled(), "the phase GEMMs are a Vector API path");
        ConvPathChecks.doesNotDependOnThreadCount(name, g);
    }

    /** Which geometries it takes: 3x3 stride 2 pad 1 over even sizes only, unforced up to 64 filters. */
    @Test
    void supportsOnlyEvenStrideTwoThreeByThree() {
        assumeTrue(Simd.enabled(), "the phase GEMMs are a Vector API path");
        assertTrue(PhaseGradientConv2d.supports(conv(1, 4, 8, 8, 4).build()));
        assertFalse(PhaseGradientConv2d.supports(conv(1, 4, 9, 8, 4).build()), "odd height");
        assertFalse(PhaseGradientConv2d.supports(conv(1, 4, 8, 8, 4).stride(1).build()), "stride 1");
        assertFalse(PhaseGradientConv2d.supports(conv(1, 4, 8, 8, 4).padding(0).build()), "no padding");
        assertFalse(PhaseGradientConv2d.supports(conv(1, 4, 8, 8, 4).kernel(1).padding(0).build()), "1x1");
        ConvPath.PHASE_GRADIENT.force(null);
        assertTrue(PhaseGradientConv2d.applies(conv(128, 32, 16, 16, 64).build()), "ResNet-20 layer3.0.conv1");
        assertFalse(PhaseGradientConv2d.applies(conv(64, 64, 16, 16, 128).build()), "128 filters: GEMM + col2im");
    }
}
