package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apoptosis.autodiff.Mode;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobalAvgPoolTest {
    @Test
    void rulesAgreeWithFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("gap", 2);
        Node h = b.add("op", new GlobalAvgPool(), b.add("conv", Conv2d.of(3, 3, 1, 1, true), b.input("x", 2, 4, 5)));
        Graph g = b.build(b.add("fc", Linear.of(2), h));
        new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(3, 3, 2, 4, 5)), new QuadraticLoss(4), null).run();
    }

    @Test
    void matchesPyTorchFixture() {
        GraphBuilder b = new GraphBuilder("gap", 1);
        OpFixture.check(b.build(b.add("op", new GlobalAvgPool(), b.input("x", 3, 4, 5))), "globalavgpool", Mode.BATCH_STATS, 1e-5);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), b.input("x", 3, 6, 6)));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("gap", new GlobalAvgPool(), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 6, 6)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresShapes() {
        GlobalAvgPool op = new GlobalAvgPool();
        assertArrayEquals(new int[] {7}, op.outputShape(new int[][] {{7, 3, 2}}));
        assertEquals(0, op.inputChannelAxis(0, new int[][] {{7, 3, 2}}));
        assertEquals(0, op.outputChannelAxis(new int[][] {{7, 3, 2}}));
        OpTestSupport.assertRebuildsFromAttrs(op);
    }

    @Test
    void nonImageInputIsReported() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node flat = b.input("flat", 4, 3);
        assertError(() -> b.add("pool", new GlobalAvgPool(), flat), "pool", "GlobalAvgPool", "[4, 3]");
    }
}
