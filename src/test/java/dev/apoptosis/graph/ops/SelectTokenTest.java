package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectTokenTest {
    @Test
    void matchesPyTorchForTheClassToken() {
        OpFixtureCheck.check("select_first", new SelectToken(0), 0);
    }

    @Test
    void matchesPyTorchCountingFromTheEnd() {
        OpFixtureCheck.check("select_last", new SelectToken(-1), 0);
    }

    @Test
    void rulesAgreeWithFiniteDifferencesAndAddNoCurvature() {
        Tensor in = Tensor.randn(new Random(4), 1f, 3, 3, 4);
        // smooth activation for finite differences (no kink within eps), ReLU for the curvature identity
        new DerivativeCheck(model(new Tanh()), Map.of("x", in), new QuadraticLoss(1), null).run();
        assertTrue(CurvatureIdentity.assertObaPlusGaussNewtonIsExact(model(new ReLU()), in, new QuadraticLoss(1), null) > 0);
    }

    private static Graph model(Op activation) {
        GraphBuilder b = new GraphBuilder("sel", 3);
        Node x = b.input("x", 3, 4);
        Node h = b.add("act", activation, b.add("fc1", Linear.of(5), x));
        return b.build(b.add("fc2", Linear.of(2), b.add("sel", new SelectToken(1), h)));
    }

    @Test
    void shapesAndErrors() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x", 3, 4);
        assertArrayEquals(new int[] {4}, b.add("first", new SelectToken(0), x).outputShape());
        assertArrayEquals(new int[] {4}, b.add("last", new SelectToken(-3), x).outputShape());
        for (int bad : new int[] {3, -4}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("sel" + bad, new SelectToken(bad), x));
            assertTrue(e.getMessage().contains("'sel" + bad + "'") && e.getMessage().contains("[3, 4]"), e.getMessage());
        }
    }
}
