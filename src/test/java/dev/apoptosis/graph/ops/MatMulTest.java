package dev.apoptosis.graph.ops;

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
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatMulTest {
    @Test
    void matchesPyTorchBatchedOverLeadingAxes() {
        OpFixtureCheck.check("matmul", new MatMul(), 0, 1);
    }

    @Test
    void matchesPyTorchWithTransposedB() {
        OpFixtureCheck.check("matmul_tb", new MatMul(true), 0, 1);
    }

    @Test
    void matchesPyTorchWhenBothFactorsAreTheSameNode() {
        OpFixtureCheck.check("matmul_self", new MatMul(true), 0, 0);
    }

    /** Tokens → q, k, v → q·kᵀ → ReLU → ·v → Linear: the attention pattern without its softmax. */
    static Graph attention(boolean relu) {
        GraphBuilder b = new GraphBuilder("att", 4);
        Node x = b.input("x", 4, 6);
        Node q = b.add("q", Linear.of(5), x);
        Node k = b.add("k", Linear.of(5), x);
        Node v = b.add("v", Linear.of(3), x);
        Node s = b.add("scores", new MatMul(true), q, k);
        if (relu) s = b.add("relu", new ReLU(), s);
        Node c = b.add("ctx", new MatMul(), s, v);
        return b.build(b.add("out", Linear.of(2), c));
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        new DerivativeCheck(attention(false), Map.of("x", Tensor.randn(new Random(7), 1f, 3, 4, 6)), new QuadraticLoss(4), null).run();
    }

    @Test
    void parallelConnectivityTermsAreOba() {
        Graph g = attention(true);
        Tensor x = Tensor.randn(new Random(8), 1f, 3, 4, 6);
        double oba = CurvatureIdentity.assertObaPlusGaussNewtonIsExact(g, x, new QuadraticLoss(5), null);
        assertTrue(oba > 0, "OBA terms vanished: the identity would hold by accident");
        // Without the MatMul terms the identity breaks: OBA must contain them.
        try (Pass p = Pass.forward(g, Map.of("x", x), Mode.BATCH_STATS, 0L, true)) {
            p.loss(new QuadraticLoss(5), null);
            ParamVector v = ParamVector.obaDirection(g);
            ParamVector exact = p.curvatureProduct(v, Curvature.EXACT, false).product();
            ParamVector gn = p.curvatureProduct(v, Curvature.GAUSS_NEWTON, false).product();
            int qw = g.parameterIndex(g.parameter("q.weight"));
            double diff = 0;
            for (int i = 0; i < exact.get(qw).size(); i++) diff = Math.max(diff, Math.abs(exact.get(qw).at(i) - gn.get(qw).at(i)));
            assertTrue(diff > 1e-3, "EXACT equals GN on q.weight: no parallel-connectivity term reached q");
        }
    }

    @Test
    void shapeErrorsNameTheNodeAndBothShapes() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node a = b.input("a", 4, 5);
        Node c = b.input("c", 6, 5);
        Node d = b.input("d", 2, 5, 6);
        Node e = b.input("e", 5);
        assertError(() -> b.add("inner", new MatMul(), a, c), "'inner'", "[4, 5]", "[6, 5]", "inner sizes");
        assertError(() -> b.add("lead", new MatMul(), a, d), "'lead'", "[2, 5, 6]", "leading axes");
        assertError(() -> b.add("rank", new MatMul(), a, e), "'rank'", "[5]", "two axes");
        b.add("ok", new MatMul(true), a, c);
    }

    private static void assertError(Runnable r, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' lacks '" + p + "'");
    }
}
