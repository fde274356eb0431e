package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.testing.DerivativeCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A ReLU MLP with a residual join (fc1 → relu1 → fc2 → relu2 → add(relu1, ·) → fc3, softmax
 * cross-entropy) against PyTorch with identical values, finite differences and the OBA + GN = EXACT
 * identity (every block: the network is piecewise linear and has no BatchNorm).
 */
class MlpNetworkTest {
    static Graph mlp() {
        GraphBuilder b = new GraphBuilder("mlp", 1);
        Node x = b.input("x", 12);
        Node h1 = b.add("relu1", new ReLU(), b.add("fc1", Linear.of(10), x));
        Node h2 = b.add("relu2", new ReLU(), b.add("fc2", Linear.of(10), h1));
        return b.build(b.add("fc3", Linear.of(4), b.add("res", new Add(), h1, h2)));
    }

    @Test
    void matchesPyTorch() {
        Graph g = mlp();
        new NetworkFixture(g, "mlp").check(g, Mode.EVAL, 1e-4);
    }

    /**
     * Finite differences on the fixture's network, whose ReLU kinks lie at least two steps away
     * ({@link KinkMargin}) along the directions of seed 24 (the nearest is 1.9e-3 away).
     */
    @Test
    void agreesWithFiniteDifferences() {
        Graph g = mlp();
        NetworkFixture nf = new NetworkFixture(g, "mlp");
        double eps = 5e-4;
        double margin = KinkMargin.smallest(g, nf.inputs(), Mode.BATCH_STATS, 24);
        assertTrue(margin > 2 * eps, "a ReLU kink lies within " + margin + " of the point, step " + eps);
        new DerivativeCheck(g, nf.inputs(), new SoftmaxCrossEntropy(), nf.labels).eps(eps).seed(24).run();
    }

    @Test
    void obaPlusGaussNewtonIsExact() {
        Graph g = mlp();
        NetworkFixture nf = new NetworkFixture(g, "mlp");
        OpTestSupport.assertObaPlusGnIsExact(g, nf.inputs(), nf.labels, Mode.BATCH_STATS, p -> true);
    }

    @Test
    void curvaturePassesLeaveTheModelBitIdentical() {
        Graph g = mlp();
        NetworkFixture nf = new NetworkFixture(g, "mlp");
        Map<String, int[]> before = DerivativeCheck.snapshot(g);
        for (Curvature c : Curvature.values()) {
            try (Pass p = Pass.forward(g, nf.inputs(), Mode.BATCH_STATS, 3L, true)) {
                p.loss(new SoftmaxCrossEntropy(), nf.labels);
                p.backward(true);
                p.curvatureProduct(nf.direction(g, "rand"), c, true);
            }
            DerivativeCheck.assertUnchanged(g, before, c + " pass");
        }
    }
}
