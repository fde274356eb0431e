package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import org.junit.jupiter.api.Test;

class GlobalAvgPoolTest {
    @Test
    void rulesAgreeWithFiniteDifferences() {
        SandwichChecks.imageHeadAgreesWithFiniteDifferences(GlobalAvgPool::new, 4, 5);
    }

    @Test
    void matchesPyTorchFixture() {
        GraphBuilder b = new GraphBuilder("gap", 1);
        OpFixture.check(b.build(b.add("op", new GlobalAvgPool(), b.input("x", 3, 4, 5))), "globalavgpool", Mode.BATCH_STATS, 1e-5);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        SandwichChecks.imageHeadObaPlusGnIsExact(GlobalAvgPool::new, 1);
    }

    @Test
    void declaresShapes() {
        GlobalAvgPool op = new GlobalAvgPool();
        assertArrayEquals(new int[] {7}, op.outputShape(new int[][] {{7, 3, 2}}));
        OpTestSupport.assertRebuildsFromAttrs(op);
    }

    @Test
    void nonImageInputIsReported() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node flat = b.input("flat", 4, 3);
        assertError(() -> b.add("pool", new GlobalAvgPool(), flat), "pool", "GlobalAvgPool", "[4, 3]");
    }
}
