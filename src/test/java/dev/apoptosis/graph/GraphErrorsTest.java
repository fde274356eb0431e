package dev.apoptosis.graph;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad graphs get an error that names the node. */
class GraphErrorsTest {
    private static NodeDef in(String name, int... shape) {
        return new NodeDef(name, "Input", Attrs.builder().put("shape", shape).build(), List.of());
    }

    private static NodeDef fc(String name, int out, String input) {
        return new NodeDef(name, "Linear", Attrs.builder().put("out", out).build(), List.of(input));
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void cycleIsReportedWithItsNodes() {
        List<NodeDef> defs = List.of(in("x", 4), fc("a", 4, "b"), fc("b", 4, "a"));
        assertMessage(() -> Graph.fromDefs("g", defs, "b", Map.of(), new Random(1)), "cycle", "a", "b");
    }

    @Test
    void unknownInputNameIsReported() {
        List<NodeDef> defs = List.of(in("x", 4), fc("a", 4, "nope"));
        assertMessage(() -> Graph.fromDefs("g", defs, "a", Map.of(), new Random(1)), "'a'", "nope");
    }

    @Test
    void shapeMismatchNamesTheNode() {
        GraphBuilder b = new GraphBuilder("g", 1);
        var x = b.input("x", 4);
        var a = b.add("a", Linear.of(3), x);
        assertMessage(() -> b.add("join", new Add(), a, x), "join", "[3]", "[4]");
    }

    @Test
    void missingParameterIsReported() {
        List<NodeDef> defs = List.of(in("x", 4), fc("a", 3, "x"));
        Map<String, Tensor> values = new HashMap<>();
        values.put("a.weight", Tensor.zeros(3, 4));
        assertMessage(() -> Graph.fromDefs("g", defs, "a", values, null), "a.bias");
    }

    @Test
    void wrongParameterShapeIsReported() {
        List<NodeDef> defs = List.of(in("x", 4), fc("a", 3, "x"));
        Map<String, Tensor> values = new HashMap<>();
        values.put("a.weight", Tensor.zeros(4, 4));
        values.put("a.bias", Tensor.zeros(3));
        assertMessage(() -> Graph.fromDefs("g", defs, "a", values, null), "a.weight", "[4, 4]", "[3, 4]");
    }

    @Test
    void unknownOpKindListsKnownKinds() {
        List<NodeDef> defs = List.of(in("x", 4), new NodeDef("a", "Frobnicate", Attrs.empty(), List.of("x")));
        assertMessage(() -> Graph.fromDefs("g", defs, "a", Map.of(), new Random(1)), "Frobnicate", "Linear");
    }

    @Test
    void roundTripThroughDefsKeepsValuesAndMacs() {
        GraphBuilder b = new GraphBuilder("g", 1);
        var x = b.input("x", 5);
        Graph g = b.build(b.add("fc", Linear.of(3), x));
        Graph h = Graph.fromDefs("g", g.toDefs(), "fc", g.state(), null);
        assertTrue(h.macs() == 15 && g.macs() == 15, "MACs " + g.macs() + " / " + h.macs());
        assertTrue(h.parameter("fc.weight").value() == g.parameter("fc.weight").value());
    }
}
