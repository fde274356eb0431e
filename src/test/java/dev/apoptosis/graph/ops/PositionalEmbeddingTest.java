package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ParamSpec;
import org.junit.jupiter.api.Test;

class PositionalEmbeddingTest {
    @Test
    void matchesPyTorch() {
        OpFixtureCheck.check("positional_embedding", new PositionalEmbedding(), 0);
    }

    @Test
    void rulesAgreeWithFiniteDifferencesAndAddNoCurvature() {
        SandwichChecks.tokenOpAgreesWithFiniteDifferencesAndAddsNoCurvature(PositionalEmbedding::new);
    }

    @Test
    void embeddingFollowsTheInputShape() {
        ParamSpec p = new PositionalEmbedding().params(new int[][] {{17, 12}}).get(0);
        assertEquals("embedding", p.name());
        assertArrayEquals(new int[] {17, 12}, p.shape());
        assertEquals(Init.NORMAL_002, p.init());
    }

    @Test
    void scalarSampleIsRejectedNamingTheNode() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("pos", new PositionalEmbedding(), x));
        assertTrue(e.getMessage().contains("'pos'") && e.getMessage().contains("[]"), e.getMessage());
    }
}
