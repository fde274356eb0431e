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

class AvgPool2dTest {
    private static Graph single(AvgPool2d op) {
        GraphBuilder b = new GraphBuilder("pool", 1);
        return b.build(b.add("op", op, b.input("x", 3, 6, 5)));
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        for (AvgPool2d op : new AvgPool2d[] {new AvgPool2d(3, 2, 1), new AvgPool2d(new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 1}, false)}) {
            GraphBuilder b = new GraphBuilder("pool", 2);
            Node h = b.add("op", op, b.add("conv", Conv2d.of(3, 3, 1, 1, true), b.input("x", 2, 6, 6)));
            Graph g = b.build(b.add("mix", Conv2d.of(2, 1, 1, 0, true), h));
            new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(3, 2, 2, 6, 6)), new QuadraticLoss(4), null).run();
        }
    }

    @Test
    void matchesPyTorchFixtures() {
        OpFixture.check(single(new AvgPool2d(3, 2, 1)), "avgpool2d_k3_s2_p1", Mode.BATCH_STATS, 1e-5);
        OpFixture.check(single(new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false)),
                "avgpool2d_k3_s2_p1_exclude_pad", Mode.BATCH_STATS, 1e-5);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node x = b.input("x", 3, 8, 8);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), x));
        h = b.add("pool", new AvgPool2d(2), h);
        h = b.add("relu2", new ReLU(), b.add("conv2", Conv2d.of(5, 3, 1, 1, true), h));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("flat", new Flatten(), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 8, 8)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresShapesAndAttributes() {
        AvgPool2d op = new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false);
        assertArrayEquals(new int[] {5, 4, 3}, op.outputShape(new int[][] {{5, 8, 6}}));
        assertTrue(op.has(OpProperty.PIECEWISE_LINEAR));
        OpTestSupport.assertRebuildsFromAttrs(op);
        AvgPool2d d = (AvgPool2d) OpTestSupport.fromAttrs("AvgPool2d", Attrs.builder().put("kernel", 2, 2).build());
        assertEquals(new AvgPool2d(2).attrs(), d.attrs());
    }

    @Test
    void badShapesAndSettingsAreReported() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node flat = b.input("flat", 12);
        Node img = b.input("img", 3, 2, 2);
        assertError(() -> b.add("p1", new AvgPool2d(2), flat), "p1", "AvgPool2d", "[12]");
        assertError(() -> b.add("p2", new AvgPool2d(3), img), "p2", "AvgPool2d", "[3, 2, 2]");
        assertError(() -> new AvgPool2d(2, 2, 2), "AvgPool2d", "half the kernel");
    }
}
