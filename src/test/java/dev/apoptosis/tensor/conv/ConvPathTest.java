package dev.apoptosis.tensor.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The path table as data ({@link ConvPath}): a pinned path is the one that runs, pins put every switch
 * back, the trace names what ran, and the table's {@code sameBitsAsGemm} is true of the paths it marks:
 * every path a geometry can be pinned to gives im2col + GEMM's bits when marked, and close values when not.
 */
class ConvPathTest {
    @AfterEach
    void rulesAgain() {
        for (ConvPath p : ConvPath.values()) if (p.switchable()) p.force(null);
        ConvPath.trace(false);
    }

    private static ConvGeometry conv(int n, int cin, int h, int cout, int k, int stride) {
        return ConvGeometry.builder().batch(n).input(cin, h, h).outChannels(cout).kernel(k).stride(stride).padding(k / 2).build();
    }

    /** Shapes that between them reach every switchable path, pruned widths among them. */
    private static List<ConvGeometry> shapes() {
        return List.of(conv(32, 5, 16, 11, 3, 1), conv(32, 9, 16, 4, 3, 2), conv(32, 6, 8, 33, 3, 1), conv(32, 7, 8, 5, 1, 2));
    }

    @Test
    void aPinnedPathRunsAndEveryPinnedPathAgreesWithGemm() {
        assumeTrue(Simd.enabled(), "the alternative paths are Vector API paths");
        List<String> taken = new ArrayList<>();
        for (ConvGeometry g : shapes()) {
            Random rng = new Random(g.toString().hashCode());
            Tensor x = Tensor.randn(rng, 1f, g.inputShape()), w = Tensor.randn(rng, 0.3f, g.weightShape());
            Tensor gy = Tensor.randn(rng, 1f, g.outputShape());
            for (ConvPath.Pass pass : ConvPath.Pass.values()) {
                float[] gemm = run(ConvPath.GEMM, g, pass, x, w, gy);
                assertEquals(ConvPath.GEMM, ConvPath.lastTaken(), g + " " + pass + ": pinned GEMM");
                for (ConvPath p : ConvPath.values()) {
                    if (!p.serves(pass) || !p.switchable()) continue;
                    float[] r = run(p, g, pass, x, w, gy);
                    if (ConvPath.lastTaken() != p) continue;     // p does not support g
                    taken.add(p + " " + pass);
                    String what = g + " " + pass + " by " + p;
                    if (p.sameBitsAsGemm()) KernelTesting.assertSameValues(what, gemm, r);
                    else assertClose(what, gemm, r);
                }
            }
        }
        // Every switchable path ran for every pass it serves on one of the shapes: the table names no dead entry.
        for (ConvPath p : ConvPath.values()) {
            if (!p.switchable()) continue;
            for (ConvPath.Pass pass : ConvPath.Pass.values()) {
                if (p.serves(pass)) assertTrue(taken.contains(p + " " + pass), p + " never ran for " + pass + "; ran: " + taken);
            }
        }
    }

    /** One pass with {@code p} pinned and the trace on; the trace is read by the caller. */
    private static float[] run(ConvPath p, ConvGeometry g, ConvPath.Pass pass, Tensor x, Tensor w, Tensor gy) {
        try (ConvPath.Pin pin = ConvPath.pin(p)) {
            ConvPath.trace(true);
            return switch (pass) {
                case FORWARD -> Conv2dKernels.forward(g, x, w, null).toArray();
                case INPUT -> Conv2dKernels.backwardInput(g, gy, w).toArray();
                case WEIGHT -> Conv2dKernels.backwardWeight(g, x, gy).toArray();
            };
        }
    }

    private static void assertClose(String what, float[] want, float[] got) {
        double scale = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= 1e-4 * scale)) {
                throw new AssertionError(what + ": value " + i + " is " + got[i] + ", GEMM's " + want[i]);
            }
        }
    }

    @Test
    void closingAPinPutsEverySwitchBack() {
        ConvPath.PADDED_PLANES.force(false);
        ConvPath.PHASE_GRADIENT.force(true);
        ConvPath.WINOGRAD.force(false);
        try (ConvPath.Pin pin = ConvPath.pin(ConvPath.SMALL_OUTPUTS)) {
            assertEquals(Boolean.TRUE, ConvPath.SMALL_OUTPUTS.forced());
            for (ConvPath p : ConvPath.values()) {
                if (p.switchable() && p != ConvPath.SMALL_OUTPUTS) assertEquals(Boolean.FALSE, p.forced(), p.name());
            }
            assertEquals(Winograd.Mode.NEVER, Winograd.mode());
        }
        assertEquals(Boolean.FALSE, ConvPath.PADDED_PLANES.forced());
        assertEquals(Boolean.TRUE, ConvPath.PHASE_GRADIENT.forced());
        assertEquals(Boolean.FALSE, ConvPath.WINOGRAD.forced());
        assertEquals(Winograd.Mode.NEVER, Winograd.mode());
        assertNull(ConvPath.SMALL_OUTPUTS.forced());
        assertNull(ConvPath.BATCH_INNER_WEIGHTS.forced());
    }

    @Test
    void theTraceRecordsOnlyWhenOn() {
        ConvGeometry g = conv(2, 3, 6, 4, 3, 1);
        Random rng = new Random(5);
        Tensor x = Tensor.randn(rng, 1f, g.inputShape()), w = Tensor.randn(rng, 1f, g.weightShape());
        ConvPath.trace(false);
        Conv2dKernels.forward(g, x, w, null);
        assertNull(ConvPath.lastTaken());
        ConvPath.trace(true);
        Conv2dKernels.forward(g, x, w, null);
        assertTrue(ConvPath.lastTaken() != null, "a traced pass names its path");
        ConvPath.trace(false);
        assertNull(ConvPath.lastTaken());
    }

    @Test
    void pathsWithoutASwitchRefuseToBeForced() {
        assertThrows(IllegalStateException.class, () -> ConvPath.GEMM.force(true));
        assertThrows(IllegalStateException.class, () -> ConvPath.DEPTHWISE.force(false));
        assertTrue(ConvPath.sameBits(ConvPath.PADDED_PLANES, ConvPath.GEMM));
        assertTrue(!ConvPath.sameBits(ConvPath.WINOGRAD, ConvPath.GEMM));
        assertTrue(ConvPath.sameBits(ConvPath.PHASE_GRADIENT, ConvPath.PHASE_GRADIENT));
    }
}
