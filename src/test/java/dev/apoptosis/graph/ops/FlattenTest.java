package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import org.junit.jupiter.api.Test;

class FlattenTest {
    @Test
    void rulesAgreeWithFiniteDifferences() {
        SandwichChecks.imageHeadAgreesWithFiniteDifferences(Flatten::new, 3, 3);
    }

    @Test
    void matchesPyTorchFixture() {
        GraphBuilder b = new GraphBuilder("flat", 1);
        OpFixture.check(b.build(b.add("op", new Flatten(), b.input("x", 3, 2, 2))), "flatten", Mode.BATCH_STATS, 1e-6);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        SandwichChecks.imageHeadObaPlusGnIsExact(Flatten::new, 2);
    }

    @Test
    void declaresShapesAndChannelBlocks() {
        Flatten op = new Flatten();
        assertArrayEquals(new int[] {24}, op.outputShape(new int[][] {{2, 3, 4}}));
        assertEquals(12, Flatten.featuresPerChannel(new int[] {2, 3, 4}));
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
