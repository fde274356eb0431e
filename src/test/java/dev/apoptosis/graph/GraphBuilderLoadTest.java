package dev.apoptosis.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A GraphBuilder without a seed takes every value at build time, and refuses to leave one out. */
class GraphBuilderLoadTest {
    private static Graph build(GraphBuilder b, Function<Node, Graph> finish) {
        Node x = b.input("x", 2, 4, 4);
        Node h = b.add("bn", new BatchNorm2d(), b.add("conv", Conv2d.of(3, 3, 1, 1, false), x));
        return finish.apply(b.add("fc", Linear.of(2), b.add("gap", new GlobalAvgPool(), h)));
    }

    @Test
    void seedlessBuilderLoadsEveryValue() {
        GraphBuilder seeded = new GraphBuilder("net", 7);
        Graph ref = build(seeded, seeded::build);
        Map<String, Tensor> state = new HashMap<>();
        ref.state().forEach((k, v) -> state.put(k, v.copy()));
        GraphBuilder b = new GraphBuilder("net");
        Graph g = build(b, out -> b.build(out, state));
        for (String k : ref.state().keySet()) {
            assertSame(state.get(k), g.parameter(k).value());
            assertArrayEquals(ref.parameter(k).value().toArray(), g.parameter(k).value().toArray(), 0);
        }
    }

    @Test
    void missingUnknownAndSeedlessBuildAreErrors() {
        GraphBuilder seeded = new GraphBuilder("net", 7);
        Graph ref = build(seeded, seeded::build);
        Map<String, Tensor> state = new HashMap<>(ref.state());
        state.remove("bn.running_var");
        GraphBuilder b1 = new GraphBuilder("net");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(b1, out -> b1.build(out, state)));
        assertTrue(e.getMessage().contains("missing parameter 'bn.running_var'"), e.getMessage());
        GraphBuilder b2 = new GraphBuilder("net");
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> build(b2, b2::build));
        assertTrue(s.getMessage().contains("without a seed"), s.getMessage());
        Map<String, Tensor> extra = new HashMap<>(ref.state());
        extra.put("fc.scale", Tensor.zeros(1));
        GraphBuilder b3 = new GraphBuilder("net", 1);
        e = assertThrows(IllegalArgumentException.class, () -> build(b3, out -> b3.build(out, extra)));
        assertTrue(e.getMessage().contains("unknown parameters [fc.scale]"), e.getMessage());
    }
}
