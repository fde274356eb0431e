package dev.apoptosis.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.tensor.conv.ConvPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvPathAudit} on ResNet-20 at a small batch: one row per distinct geometry and pass (no input
 * gradient for the layer that reads the image), the rules' path first and traced, every candidate a
 * path that serves the pass, no switch left forced, and the totals weighted by the layers sharing a row.
 */
class ConvPathAuditTest {
    @Test
    void auditsEveryDistinctConvolutionOnceAndLeavesTheRulesInCharge() {
        Graph graph = RandomCifarStep.graph("resnet20", 0);
        List<ConvPathAudit.Row> streamed = new ArrayList<>();
        List<ConvPathAudit.Row> rows = ConvPathAudit.run(graph, 4, 0.02, 1, streamed::add);
        assertEquals(rows, streamed, "every row is handed to the sink as it is done");

        Set<String> geometries = new HashSet<>();
        int convs = 0;
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Conv2d c) {
                geometries.add(c.geometry(4, n.inputShapes()[0]).toString());
                convs++;
            }
        }
        // Three passes per distinct geometry, less the stem's input gradient.
        assertEquals(3 * geometries.size() - 1, rows.size());
        int layers = 0;
        for (ConvPathAudit.Row r : rows) {
            if (r.pass() != ConvPath.Pass.INPUT) layers += r.pass() == ConvPath.Pass.FORWARD ? r.layers().size() : 0;
            assertNotNull(r.chosen(), r.shape() + " " + r.pass() + ": the rules' path is traced");
            assertEquals(r.chosen(), r.timed().get(0).path(), "the rules' own run comes first");
            Set<ConvPath> seen = new HashSet<>();
            for (ConvPathAudit.Timed t : r.timed()) {
                assertTrue(t.path().serves(r.pass()), t.path() + " does not serve " + r.pass());
                assertTrue(seen.add(t.path()), t.path() + " timed twice for " + r.shape());
                assertTrue(t.ms() > 0 && Double.isFinite(t.ms()), t + " is no time");
            }
            assertTrue(r.gain() >= 1, "the fastest is at least as fast as the rules' path");
            assertTrue(r.timed().stream().anyMatch(t -> t.path() == ConvPath.GEMM), "GEMM takes every geometry");
        }
        assertEquals(convs, layers, "each layer counted in exactly one forward row");
        for (ConvPath p : ConvPath.values()) if (p.switchable()) assertNull(p.forced(), p + " left forced");
        assertNull(ConvPath.lastTaken(), "the trace is off again");

        double[] t = ConvPathAudit.totals(rows);
        double chosen = 0;
        for (ConvPathAudit.Row r : rows) chosen += r.layers().size() * r.chosenMs();
        assertEquals(chosen, t[0], 1e-9);
        assertTrue(t[1] <= t[0]);
    }

    @Test
    void shapesAreParsedWithStrideAndKernelDefaults() {
        var g = ConvPathAudit.shape("64:128:16", 32);
        assertEquals("64:128 16x16 k3 s1", new ConvPathAudit.Row(List.of("-"), g, ConvPath.Pass.FORWARD, ConvPath.GEMM,
                List.of(new ConvPathAudit.Timed(ConvPath.GEMM, 1))).shape());
        assertEquals(32, g.n());
        var s = ConvPathAudit.shape("16:32:32:2:1", 8);
        assertEquals(2, s.strideH());
        assertEquals(1, s.kernelH());
        assertEquals(0, s.padH());
        assertEquals(16, s.outH());
        for (String bad : new String[] {"64:128", "64:x:16", "0:4:8", "1:2:3:4:5:6"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvPathAudit.shape(bad, 4), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        List<ConvPathAudit.Row> rows = ConvPathAudit.runShapes(List.of(ConvPathAudit.shape("4:6:6", 2)), 0.01, 1, r -> {});
        assertEquals(3, rows.size(), "every pass of a given shape");
    }

    @Test
    void refusesBadSettings() {
        Graph graph = RandomCifarStep.graph("resnet20", 0);
        assertThrows(IllegalArgumentException.class, () -> ConvPathAudit.run(graph, 0, 1, 1, r -> {}));
        assertThrows(IllegalArgumentException.class, () -> ConvPathAudit.run(graph, 4, 0, 1, r -> {}));
        assertThrows(IllegalArgumentException.class, () -> ConvPathAudit.run(graph, 4, 1, 0, r -> {}));
        assertThrows(IllegalArgumentException.class, () -> ConvPathAudit.run("no-such-model", 4, 1, 1, r -> {}));
    }
}
