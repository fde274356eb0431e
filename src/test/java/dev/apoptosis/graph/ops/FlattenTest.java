package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.autodiff.Mode;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlattenTest {
    @Test
    void rulesAgreeWithFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("flat", 2);
        Node h = b.add("op", new Flatten(), b.add("conv", Conv2d.of(3, 3, 1, 1, true), b.input("x", 2, 3, 3)));
        Graph g = b.build(b.add("fc", Linear.of(2), h));
        new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(3, 3, 2, 3, 3)), new QuadraticLoss(4), null).run();
    }

    @Test
    void matchesPyTorchFixture() {
        GraphBuilder b = new GraphBuilder("flat", 1);
        OpFixture.check(b.build(b.add("op", new Flatten(), b.input("x", 3, 2, 2))), "flatten", Mode.BATCH_STATS, 1e-6);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 2, 1, true), b.input("x", 3, 6, 6)));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("flat", new Flatten(), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 6, 6)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresShapesAndChannelBlocks() {
        Flatten op = new Flatten();
        assertArrayEquals(new int[] {24}, op.outputShape(new int[][] {{2, 3, 4}}));
        assertEquals(12, Flatten.featuresPerChannel(new int[] {2, 3, 4}));
        assertEquals(0, op.inputChannelAxis(0, new int[][] {{2, 3, 4}}));
        assertEquals(0, op.outputChannelAxis(new int[][] {{2, 3, 4}}));
        assertEquals(-1, op.inputChannelAxis(0, new int[][] {{5, 4}}), "tokens interleave channels");
        assertTrue(op.has(OpProperty.INDEX_REMAPPING) && op.has(OpProperty.PIECEWISE_LINEAR));
        OpTestSupport.assertRebuildsFromAttrs(op);
    }

    @Test
    void scalarInputIsReported() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node s = b.input("s");
        assertError(() -> b.add("f", new Flatten(), s), "f", "Flatten", "[]");
    }
}
