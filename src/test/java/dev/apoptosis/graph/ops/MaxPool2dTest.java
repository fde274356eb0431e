package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaxPool2dTest {
    private static Graph single(int[] in, MaxPool2d op) {
        GraphBuilder b = new GraphBuilder("pool", 1);
        return b.build(b.add("op", op, b.input("x", in)));
    }

    /**
     * x → max-pool → 1×1 conv. The input values are 1/16 apart, far more than the finite-difference
     * step moves them, so no window changes its arg-max between the evaluations.
     */
    @Test
    void rulesAgreeWithFiniteDifferences() {
        for (MaxPool2d op : new MaxPool2d[] {new MaxPool2d(3, 2, 1, 1), new MaxPool2d(new int[] {2, 3}, new int[] {1, 2},
                new int[] {1, 1}, new int[] {2, 1}), new MaxPool2d(2)}) {
            GraphBuilder b = new GraphBuilder("pool", 2);
            Node h = b.add("op", op, b.input("x", 3, 6, 6));
            Graph g = b.build(b.add("mix", Conv2d.of(2, 1, 1, 0, true), h));
            new DerivativeCheck(g, Map.of("x", OpTestSupport.distinct(3, 2, 3, 6, 6)), new QuadraticLoss(4), null).run();
        }
    }

    @Test
    void matchesPyTorchFixtures() {
        OpFixture.check(single(new int[] {3, 6, 6}, new MaxPool2d(3, 2, 1, 1)), "maxpool2d_k3_s2_p1", Mode.BATCH_STATS, 1e-5);
        OpFixture.check(single(new int[] {2, 5, 6}, new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, new int[] {2, 1})),
                "maxpool2d_k2_s1_d2", Mode.BATCH_STATS, 1e-5);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node x = b.input("x", 3, 8, 8);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), x));
        h = b.add("pool", new MaxPool2d(3, 2, 1, 1), h);
        h = b.add("relu2", new ReLU(), b.add("conv2", Conv2d.of(5, 3, 1, 1, true), h));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("gap", new GlobalAvgPool(), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 8, 8)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresShapesAndAttributes() {
        MaxPool2d op = new MaxPool2d(3, 2, 1, 1);
        assertArrayEquals(new int[] {5, 4, 3}, op.outputShape(new int[][] {{5, 8, 6}}));
        assertTrue(op.has(OpProperty.PIECEWISE_LINEAR));
        OpTestSupport.assertRebuildsFromAttrs(op);
        // Stride defaults to the kernel size, as PyTorch.
        MaxPool2d d = (MaxPool2d) OpTestSupport.fromAttrs("MaxPool2d", Attrs.builder().put("kernel", 2, 2).build());
        assertEquals(new MaxPool2d(2).attrs(), d.attrs());
        assertArrayEquals(new int[] {5, 4, 3}, d.outputShape(new int[][] {{5, 8, 6}}));
    }

    @Test
    void badShapesAndSettingsAreReported() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node flat = b.input("flat", 12);
        Node img = b.input("img", 3, 2, 2);
        assertError(() -> b.add("p1", new MaxPool2d(2), flat), "p1", "MaxPool2d", "[12]");
        assertError(() -> b.add("p2", new MaxPool2d(3), img), "p2", "MaxPool2d", "[3, 2, 2]", "smaller than the dilated window");
        assertError(() -> new MaxPool2d(2, 2, 2, 1), "MaxPool2d", "padding", "half the kernel");
        assertError(() -> new MaxPool2d(0), "MaxPool2d", "kernelH");
        // The pair check runs before any setting is read (an empty array was an index error).
        assertError(() -> new MaxPool2d(new int[0], new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}),
                "MaxPool2d", "(height, width) pairs", "[]");
    }
}
