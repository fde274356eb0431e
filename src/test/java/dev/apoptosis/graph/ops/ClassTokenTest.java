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

class ClassTokenTest {
    @Test
    void matchesPyTorch() {
        OpFixtureCheck.check("class_token", new ClassToken(), 0);
    }

    @Test
    void rulesAgreeWithFiniteDifferencesAndAddNoCurvature() {
        SandwichChecks.tokenOpAgreesWithFiniteDifferencesAndAddsNoCurvature(ClassToken::new);
    }

    @Test
    void tokenIsAVitParameter() {
        ParamSpec p = new ClassToken().params(new int[][] {{7, 12}}).get(0);
        assertEquals("token", p.name());
        assertArrayEquals(new int[] {1, 12}, p.shape());
        assertEquals(Init.NORMAL_002, p.init());
        GraphBuilder b = new GraphBuilder("g", 1);
        Node c = b.add("cls", new ClassToken(), b.input("x", 7, 12));
        assertArrayEquals(new int[] {8, 12}, c.outputShape());
    }

    @Test
    void nonTokenInputIsRejectedNamingTheNode() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x", 3, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("cls", new ClassToken(), x));
        assertTrue(e.getMessage().contains("'cls'") && e.getMessage().contains("[3, 4, 4]"), e.getMessage());
    }
}
