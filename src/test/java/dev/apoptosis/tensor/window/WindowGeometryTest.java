package dev.apoptosis.tensor.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The builders and checks that {@link ConvGeometry} and {@link PoolGeometry} share through
 * {@link WindowBuilder} and {@link SlidingWindow}: each keeps its own stride default, the shared
 * setters chain into each builder's own ones, and both report a bad window the same way.
 */
class WindowGeometryTest {
    @Test
    void convBuilderDefaultsAndChainsSharedIntoOwnSetters() {
        ConvGeometry g = ConvGeometry.builder().kernel(3).batch(2).input(4, 9, 7).outChannels(6).groups(2).build();
        assertEquals(new ConvGeometry(2, 4, 9, 7, 6, 3, 3, 1, 1, 0, 0, 1, 1, 2), g, "stride 1, padding 0, dilation 1");
        ConvGeometry h = ConvGeometry.builder().input(3, 10, 11).kernel(3, 2).stride(2, 3).padding(1, 0).dilation(2, 1)
                .outChannels(5).build();
        assertEquals(new ConvGeometry(1, 3, 10, 11, 5, 3, 2, 2, 3, 1, 0, 2, 1, 1), h);
        assertEquals(4, h.outH(), "(10 + 2 - 4 - 1) / 2 + 1");
        assertEquals(4, h.outW(), "(11 - 1 - 1) / 3 + 1");
    }

    @Test
    void poolBuilderStrideDefaultsToTheKernel() {
        PoolGeometry g = PoolGeometry.builder().batch(3).input(2, 9, 8).kernel(3, 2).padding(1).build();
        assertEquals(new PoolGeometry(3, 2, 9, 8, 3, 2, 3, 2, 1, 1, 1, 1), g);
        PoolGeometry h = PoolGeometry.builder().input(2, 9, 8).kernel(3).stride(1, 2).dilation(2).build();
        assertEquals(new PoolGeometry(1, 2, 9, 8, 3, 3, 1, 2, 0, 0, 2, 2), h);
    }

    @Test
    void anExplicitBadStrideIsAnErrorNotTheDefault() {
        // The pool builder once used -1 as "unset", so stride(-1) silently became the kernel size.
        assertMessage(() -> PoolGeometry.builder().input(1, 8, 8).kernel(2).stride(-1).build(),
                "pool2d: strideH must be >= 1, got -1");
        assertMessage(() -> ConvGeometry.builder().input(1, 8, 8).outChannels(1).kernel(2).stride(1, 0).build(),
                "conv2d: strideW must be >= 1, got 0");
    }

    @Test
    void bothGeometriesReportAWindowLargerThanThePaddedInput() {
        assertMessage(() -> ConvGeometry.builder().input(1, 4, 8).outChannels(1).kernel(3).dilation(2).build(),
                "conv2d: output size would be < 1: padded input 4x8 is smaller than the dilated kernel 5x5");
        assertMessage(() -> PoolGeometry.builder().input(1, 4, 8).kernel(3).dilation(2).build(),
                "pool2d: output size would be < 1: padded input 4x8 is smaller than the dilated window 5x5");
        assertMessage(() -> PoolGeometry.builder().input(1, 8, 8).kernel(3).padding(-1, 0).build(),
                "pool2d: padding must be >= 0, got padH=-1, padW=0");
        assertMessage(() -> ConvGeometry.builder().input(1, 8, 8).outChannels(1).kernel(0, 3).build(),
                "conv2d: kernelH must be >= 1, got 0");
    }

    private static void assertMessage(Executable e, String expectedPart) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expectedPart), "message '" + ex.getMessage() + "' lacks '" + expectedPart + "'");
    }
}
