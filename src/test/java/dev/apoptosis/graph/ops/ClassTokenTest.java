package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassTokenTest {
    @Test
    void matchesPyTorch() {
        OpFixtureCheck.check("class_token", new ClassToken(), 0);
    }

    @Test
    void rulesAgreeWithFiniteDifferencesAndAddNoCurvature() {
        Tensor in = Tensor.randn(new Random(4), 1f, 3, 3, 4);
        // smooth activation for finite differences (no kink within eps), ReLU for the curvature identity
        new DerivativeCheck(model(new Tanh()), Map.of("x", in), new QuadraticLoss(1), null).run();
        Graph relu = model(new ReLU());
        assertTrue(CurvatureIdentity.assertObaPlusGaussNewtonIsExact(relu, in, new QuadraticLoss(1), null) > 0);
    }

    private static Graph model(dev.apoptosis.graph.Op activation) {
        GraphBuilder b = new GraphBuilder("cls", 3);
        Node x = b.input("x", 3, 4);
        Node h = b.add("cls", new ClassToken(), b.add("fc1", Linear.of(5), x));
        Graph g = b.build(b.add("fc2", Linear.of(2), b.add("act", activation, h)));
        return g;
    }

    @Test
    void tokenIsAVitParameter() {
        ParamSpec p = new ClassToken().params(new int[][] {{7, 12}}).get(0);
        assertEquals("token", p.name());
        assertArrayEquals(new int[] {1, 12}, p.shape());
        assertEquals(Init.NORMAL_002, p.init());
        GraphBuilder b = new GraphBuilder("g", 1);
        Node c = b.add("cls", new ClassToken(), b.input("x", 7, 12));
        assertArrayEquals(new int[] {8, 12}, c.outputShape());
    }

    @Test
    void nonTokenInputIsRejectedNamingTheNode() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x", 3, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("cls", new ClassToken(), x));
        assertTrue(e.getMessage().contains("'cls'") && e.getMessage().contains("[3, 4, 4]"), e.getMessage());
    }
}
