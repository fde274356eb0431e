package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class ScaleTest {
    @Test
    void rulesAgreeWithFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("scale", 2);
        Node h = b.add("op", new Scale(-1.5), b.add("conv", Conv2d.of(3, 3, 1, 1, true), b.input("x", 2, 3, 3)));
        Graph g = b.build(b.add("mix", Conv2d.of(2, 1, 1, 0, true), h));
        new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(3, 3, 2, 3, 3)), new QuadraticLoss(4), null).run();
    }

    @Test
    void matchesPyTorchFixture() {
        GraphBuilder b = new GraphBuilder("scale", 1);
        OpFixture.check(b.build(b.add("op", new Scale(-1.5), b.input("x", 3, 2, 2))), "scale", Mode.BATCH_STATS, 1e-6);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), b.input("x", 3, 6, 6)));
        h = b.add("relu2", new ReLU(), b.add("conv2", Conv2d.of(4, 3, 1, 1, true), b.add("half", new Scale(0.5), h)));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("gap", new GlobalAvgPool(), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 6, 6)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresShapeAndAttributes() {
        Scale op = new Scale(0.25);
        assertArrayEquals(new int[] {3, 4}, op.outputShape(new int[][] {{3, 4}}));
        assertTrue(op.has(OpProperty.PIECEWISE_LINEAR));
        OpTestSupport.assertRebuildsFromAttrs(op);
        assertError(() -> new Scale(Double.NaN), "Scale", "finite");
    }
}
