package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReshapeTest {
    @Test
    void rulesAgreeWithFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("rs", 2);
        Node h = b.add("op", new Reshape(3, -1), b.add("conv", Conv2d.of(3, 3, 1, 1, true), b.input("x", 2, 3, 4)));
        Graph g = b.build(b.add("fc", Linear.of(2), h));
        new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(3, 3, 2, 3, 4)), new QuadraticLoss(4), null).run();
    }

    @Test
    void matchesPyTorchFixture() {
        GraphBuilder b = new GraphBuilder("rs", 1);
        OpFixture.check(b.build(b.add("op", new Reshape(2, 6), b.input("x", 3, 4))), "reshape", Mode.BATCH_STATS, 1e-6);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 2, 1, true), b.input("x", 3, 6, 6)));
        h = b.add("tokens", new Reshape(4, 9), h);
        h = b.add("relu2", new ReLU(), b.add("tok", Linear.of(5), h));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("flat", new Reshape(-1), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 6, 6)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresShapes() {
        assertArrayEquals(new int[] {4, 6}, new Reshape(4, -1).outputShape(new int[][] {{2, 3, 4}}));
        assertArrayEquals(new int[] {24}, new Reshape(24).outputShape(new int[][] {{2, 3, 4}}));
        Reshape op = new Reshape(-1, 2);
        assertTrue(op.has(OpProperty.INDEX_REMAPPING));
        OpTestSupport.assertRebuildsFromAttrs(op);
    }

    @Test
    void badTargetsAreReported() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x", 2, 3, 4);
        assertError(() -> b.add("r1", new Reshape(5, 5), x), "r1", "Reshape", "[2, 3, 4]", "[5, 5]");
        assertError(() -> b.add("r2", new Reshape(5, -1), x), "r2", "Reshape", "[2, 3, 4]", "[5, -1]");
        assertError(() -> new Reshape(-1, -1), "Reshape", "one -1");
        assertError(() -> new Reshape(0, 3), "Reshape", "positive");
    }
}
