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

class ConcatTest {
    /** Two conv branches and the raw input joined: tangents of some inputs are zero, others not. */
    @Test
    void rulesAgreeWithFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("cat", 2);
        Node x = b.input("x", 2, 4, 4);
        Node a = b.add("ca", Conv2d.of(3, 3, 1, 1, true), x);
        Node c = b.add("cc", Conv2d.of(1, 1, 1, 0, false), x);
        Node h = b.add("op", new Concat(), a, x, c);
        Graph g = b.build(b.add("mix", Conv2d.of(2, 1, 1, 0, true), h));
        // The graph is linear and the loss quadratic, so central differences are exact for any step: a large
        // step keeps float32 rounding of the loss (|L| >> the per-slot derivatives) out of the comparison.
        new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(3, 3, 2, 4, 4)), new QuadraticLoss(4), null).eps(3e-2).run();
    }

    @Test
    void matchesPyTorchFixtures() {
        GraphBuilder b = new GraphBuilder("cat", 1);
        Node a = b.input("a", 2, 3, 3), bb = b.input("b", 3, 3, 3), c = b.input("c", 1, 3, 3);
        OpFixture.check(b.build(b.add("op", new Concat(), a, bb, c)), "concat_images", Mode.BATCH_STATS, 1e-6);
        GraphBuilder t = new GraphBuilder("cat", 1);
        Node ta = t.input("a", 3, 2), tb = t.input("b", 3, 4);
        OpFixture.check(t.build(t.add("op", new Concat(), ta, tb)), "concat_tokens", Mode.BATCH_STATS, 1e-6);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node x = b.input("x", 3, 6, 6);
        Node a = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), x));
        Node c = b.add("relu2", new ReLU(), b.add("conv2", Conv2d.of(2, 1, 1, 0, true), x));
        Node h = b.add("relu3", new ReLU(), b.add("conv3", Conv2d.of(5, 3, 1, 1, true), b.add("cat", new Concat(), a, c)));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("gap", new GlobalAvgPool(), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 6, 6)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresShapesAndChannelAxes() {
        Concat op = new Concat();
        assertArrayEquals(new int[] {6, 4, 4}, op.outputShape(new int[][] {{2, 4, 4}, {4, 4, 4}}));
        assertArrayEquals(new int[] {5, 7}, op.outputShape(new int[][] {{5, 3}, {5, 4}}));
        assertArrayEquals(new int[] {9}, op.outputShape(new int[][] {{2}, {3}, {4}}));
        assertTrue(op.has(OpProperty.PIECEWISE_LINEAR));
        assertEquals(-1, op.arity());
        OpTestSupport.assertRebuildsFromAttrs(op);
    }

    @Test
    void mismatchedInputsAreReported() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node a = b.input("a", 2, 4, 4), c = b.input("c", 2, 4, 5), v = b.input("v", 8);
        assertError(() -> b.add("j1", new Concat(), a, c), "j1", "Concat", "[2, 4, 5]", "[2, 4, 4]");
        assertError(() -> b.add("j2", new Concat(), a, v), "j2", "Concat", "[8]", "[2, 4, 4]");
        assertError(() -> b.add("j3", new Concat()), "j3", "at least one input");
    }
}
