package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    @Test
    void matchesPyTorchOnScoreTensors() {
        OpFixtureCheck.check("softmax", new Softmax(), 0);
    }

    @Test
    void matchesPyTorchOnVectors() {
        OpFixtureCheck.check("softmax_vec", new Softmax(), 0);
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("softmax", 3);
        Node x = b.input("x", 3, 5);
        Graph g = b.build(b.add("fc2", Linear.of(4), b.add("sm", new Softmax(), b.add("fc1", Linear.of(6), x))));
        new DerivativeCheck(g, Map.of("x", Tensor.randn(new Random(6), 1.5f, 4, 3, 5)), new QuadraticLoss(2), null).run();
    }

    @Test
    void rowsSumToOneEvenWithHugeLogits() {
        GraphBuilder b = new GraphBuilder("softmax", 3);
        Graph g = b.build(b.add("sm", new Softmax(), b.input("x", 4)));
        Tensor x = Tensor.wrap(new float[] {1000f, 999f, -1000f, 1000f, 0f, 0f, 0f, 0f}, new int[] {2, 4});
        try (Pass p = Pass.forward(g, x, Mode.EVAL)) {
            Tensor y = p.output();
            for (int r = 0; r < 2; r++) {
                double s = 0;
                for (int j = 0; j < 4; j++) {
                    assertTrue(Float.isFinite(y.get(r, j)));
                    s += y.get(r, j);
                }
                assertEquals(1.0, s, 1e-6);
            }
            assertEquals(0.25f, y.get(1, 2), 1e-7);
        }
    }

    @Test
    void scalarSampleIsRejectedNamingTheNode() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("sm", new Softmax(), x));
        assertTrue(e.getMessage().contains("'sm'") && e.getMessage().contains("[]"), e.getMessage());
    }
}
