package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TanhTest {
    @Test
    void matchesPyTorchIncludingTailsAndAllCurvatureModes() {
        OpFixtureCheck.check("tanh", new Tanh(), 0);
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("tanh", 3);
        Node x = b.input("x", 3, 6);
        Graph g = b.build(b.add("fc2", Linear.of(4), b.add("act", new Tanh(), b.add("fc1", Linear.of(5), x))));
        new DerivativeCheck(g, Map.of("x", Tensor.randn(new Random(5), 1.5f, 4, 3, 6)), new QuadraticLoss(9), null).run();
    }

    @Test
    void wrongArityNamesTheNode() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x", 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("act", new Tanh(), x, x));
        assertTrue(e.getMessage().contains("'act'") && e.getMessage().contains("Tanh"), e.getMessage());
    }
}
