package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
    @Test
    void matchesPyTorchWithRepeatedIds() {
        OpFixtureCheck.check("embedding", new Embedding(7, 4), 0);
    }

    static Graph model() {
        GraphBuilder b = new GraphBuilder("emb", 3);
        Node ids = b.input("ids", 5);
        Node h = b.add("emb", new Embedding(6, 4), ids);
        return b.build(b.add("fc", Linear.of(3), b.add("act", new Tanh(), h)));
    }

    static Tensor ids() {
        return Tensor.wrap(new float[] {0, 5, 5, 2, 1, 3, 3, 3, 0, 4}, new int[] {2, 5});
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        new DerivativeCheck(model(), Map.of("ids", ids()), new QuadraticLoss(3), null)
                .differentiableInputs(Set.of()).run();
    }

    @Test
    void idTangentsAreIgnored() {
        Graph g = model();
        ParamVector v = ParamVector.zeros(g);
        Random rng = new Random(1);
        for (int i = 0; i < v.size(); i++) v.set(i, Tensor.randn(rng, 1f, g.parameters().get(i).spec().shape()));
        try (Pass p = Pass.forward(g, Map.of("ids", ids()), Mode.BATCH_STATS, 0L, true)) {
            p.loss(new QuadraticLoss(3), null);
            ParamVector without = p.curvatureProduct(v, Map.of(), Curvature.EXACT, false).product();
            Pass.CurvatureProduct with = p.curvatureProduct(v, Map.of("ids", Tensor.randn(rng, 1f, 2, 5)), Curvature.EXACT, false);
            for (int i = 0; i < v.size(); i++) {
                Assertions2.assertBitIdentical(v.parameter(i).name(), without.get(i).toArray(), with.product().get(i).toArray());
            }
            assertTrue(with.inputProducts().get("ids") == null, "ids got an H·v block");
        }
    }

    @Test
    void badIdsNameTheNode() {
        Graph g = model();
        for (float bad : new float[] {6f, -1f, 2.5f, Float.NaN}) {
            Tensor x = ids().copy();
            x.setAt(3, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pass.forward(g, x, Mode.EVAL));
            assertTrue(e.getMessage().contains("'emb'") && e.getMessage().contains("[0, 6)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 4));
    }

    @Test
    void outputAppendsTheEmbeddingAxis() {
        GraphBuilder b = new GraphBuilder("g", 1);
        assertArrayEquals(new int[] {3, 5, 8}, b.add("e", new Embedding(10, 8), b.input("x", 3, 5)).outputShape());
    }
}
