package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PermuteTest {
    @Test
    void matchesPyTorchForHeadSplitPermutation() {
        OpFixtureCheck.check("permute_102", new Permute(1, 0, 2), 0);
    }

    @Test
    void matchesPyTorchForCyclicPermutation() {
        OpFixtureCheck.check("permute_201", new Permute(2, 0, 1), 0);
    }

    @Test
    void movesEveryElementToItsPermutedIndex() {
        GraphBuilder b = new GraphBuilder("p", 1);
        Graph g = b.build(b.add("p", new Permute(2, 0, 1), b.input("x", 2, 3, 4)));
        Tensor x = Tensor.randn(new Random(3), 1f, 2, 2, 3, 4);
        try (Pass p = Pass.forward(g, x, Mode.EVAL)) {
            Tensor y = p.output();
            assertArrayEquals(new int[] {2, 4, 2, 3}, y.shape());
            for (int n = 0; n < 2; n++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 3; j++)
                        for (int k = 0; k < 4; k++) assertEquals(x.get(n, i, j, k), y.get(n, k, i, j));
        }
    }

    @Test
    void rulesAgreeWithFiniteDifferencesAndAddNoCurvature() {
        Tensor in = Tensor.randn(new Random(9), 1f, 2, 3, 4);
        // smooth activation for finite differences (no kink within eps), ReLU for the curvature identity
        new DerivativeCheck(model(new Tanh()), Map.of("x", in), new QuadraticLoss(6), null).run();
        assertTrue(CurvatureIdentity.assertObaPlusGaussNewtonIsExact(model(new ReLU()), in, new QuadraticLoss(6), null) > 0);
    }

    private static Graph model(Op activation) {
        GraphBuilder b = new GraphBuilder("perm", 3);
        Node x = b.input("x", 3, 4);
        Node h = b.add("fc1", Linear.of(5), x);
        h = b.add("t", Permute.transpose(2, 0, 1), h);
        return b.build(b.add("fc2", Linear.of(2), b.add("act", activation, h)));
    }

    @Test
    void badPermutationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Permute(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Permute(0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> Permute.transpose(2, 0, 2));
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x", 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("perm", new Permute(1, 0, 2), x));
        assertTrue(e.getMessage().contains("'perm'") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[1, 0, 2]"), e.getMessage());
    }
}
