package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerNormTest {
    @Test
    void matchesPyTorchOnTokens() {
        OpFixtureCheck.check("layernorm", new LayerNorm(1e-5), 0);
    }

    @Test
    void matchesPyTorchOnVectorsWithVitEps() {
        OpFixtureCheck.check("layernorm_vec", new LayerNorm(1e-6), 0);
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("ln", 3);
        Node x = b.input("x", 3, 6);
        Graph g = b.build(b.add("fc2", Linear.of(4), b.add("ln", new LayerNorm(), b.add("fc1", Linear.of(7), x))));
        Random rng = new Random(8);
        for (Parameter p : g.node("ln").params()) p.setValue(Tensor.randn(rng, 0.5f, p.spec().shape()));
        new DerivativeCheck(g, Map.of("x", Tensor.randn(rng, 1.5f, 4, 3, 6)), new QuadraticLoss(3), null).run();
    }

    @Test
    void declaresVitParameters() {
        List<ParamSpec> ps = new LayerNorm(1e-6).params(new int[][] {{5, 12}});
        assertEquals("weight", ps.get(0).name());
        assertEquals(Init.ONES, ps.get(0).init());
        assertEquals("bias", ps.get(1).name());
        assertEquals(Init.ZEROS, ps.get(1).init());
        assertEquals(12, ps.get(1).shape()[0]);
        assertTrue(ps.get(0).trainable() && ps.get(1).trainable());
        assertTrue(new LayerNorm().has(OpProperty.NORMALIZATION));
        assertTrue(!new LayerNorm().has(OpProperty.PARAMETER_LAYER));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(0));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(Double.NaN));
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("ln", new LayerNorm(), x));
        assertTrue(e.getMessage().contains("'ln'") && e.getMessage().contains("[]"), e.getMessage());
    }
}
