package dev.apoptosis.graph.ops;

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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small residual BN CNN, end to end, against PyTorch (same architecture, identical values) and
 * finite differences: conv1 → bn1 → relu1 → conv2 → bn2 → add(relu1, ·) → relu2 → max-pool →
 * grouped conv3 → relu3 → global average pool → fc, softmax cross-entropy; BatchNorm with batch
 * statistics (as OBA scores) and with running statistics (the piecewise-linear version).
 */
class CnnNetworkTest {
    /** The fixtures' network: 6 channels, then 8 after the grouped conv, on 3×8×8 images. */
    static Graph cnn() {
        return cnn(6, 8, 8, 1);
    }

    static Graph cnn(int width, int width3, int side, long seed) {
        GraphBuilder b = new GraphBuilder("cnn", seed);
        Node x = b.input("x", 3, side, side);
        Node h1 = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), b.add("conv1", Conv2d.of(width, 3, 1, 1, false), x)));
        Node h = b.add("bn2", new BatchNorm2d(), b.add("conv2", Conv2d.of(width, 3, 1, 1, false), h1));
        h = b.add("relu2", new ReLU(), b.add("add", new Add(), h1, h));
        h = b.add("pool", new MaxPool2d(2), h);
        h = b.add("relu3", new ReLU(), b.add("conv3", Conv2d.builder(width3, 3).padding(1).groups(2).build(), h));
        return b.build(b.add("fc", Linear.of(5), b.add("gap", new GlobalAvgPool(), h)));
    }

    @Test
    void matchesPyTorchWithBatchStatistics() {
        Graph g = cnn();
        new NetworkFixture(g, "cnn_batchstats").check(g, Mode.BATCH_STATS, 2e-4);
    }

    @Test
    void matchesPyTorchWithRunningStatistics() {
        Graph g = cnn();
        new NetworkFixture(g, "cnn_eval").check(g, Mode.EVAL, 2e-4);
    }

    /**
     * Finite differences on the same architecture, narrower (4 channels, 2 images of 4×4): the
     * fixtures' network has so many ReLU and max-pool units that some always lie within the step of
     * their kink, where central differences of gradients are meaningless. This configuration is
     * asserted to keep every kink at least two steps away along every direction the check uses
     * ({@link KinkMargin}); if a change breaks that, pick another seed rather than loosening the check.
     */
    @Test
    void agreesWithFiniteDifferencesInBothModes() {
        double eps = 1e-3;
        for (Mode m : new Mode[] {Mode.BATCH_STATS, Mode.EVAL}) {
            Graph g = cnn(4, 4, 4, 5);
            OpTestSupport.randomizeState(g, 5);
            Map<String, Tensor> in = Map.of("x", OpTestSupport.randn(105, 2, 3, 4, 4));
            int[] labels = {1, 3};
            double margin = KinkMargin.smallest(g, in, m, 7);
            assertTrue(margin > 2 * eps, m + ": a ReLU or max-pool kink lies within " + margin + " of the point, step " + eps);
            new DerivativeCheck(g, in, new SoftmaxCrossEntropy(), labels).mode(m).eps(eps).seed(7).run();
        }
    }

    /**
     * With running statistics the network is piecewise linear: OBA + GN = EXACT along OBA's direction
     * on every block but BatchNorm's γ, whose (γ, x) cross term the engine counts as `nonlinear`
     * (see BatchNorm2d; BatchNorm2dTest checks that difference term exactly).
     */
    @Test
    void obaPlusGaussNewtonIsExactInEvalMode() {
        Graph g = cnn();
        NetworkFixture nf = new NetworkFixture(g, "cnn_eval");
        OpTestSupport.assertObaPlusGnIsExact(g, nf.inputs(), nf.labels, Mode.EVAL,
                p -> !(p.node().op() instanceof BatchNorm2d && p.spec().name().equals("weight")));
    }

    @Test
    void curvaturePassesLeaveTheModelBitIdentical() {
        for (Mode m : new Mode[] {Mode.BATCH_STATS, Mode.EVAL}) {
            Graph g = cnn();
            NetworkFixture nf = new NetworkFixture(g, m == Mode.EVAL ? "cnn_eval" : "cnn_batchstats");
            Map<String, int[]> before = DerivativeCheck.snapshot(g);
            for (Curvature c : Curvature.values()) {
                try (Pass p = Pass.forward(g, nf.inputs(), m, 3L, true)) {
                    p.loss(new SoftmaxCrossEntropy(), nf.labels);
                    p.backward(true);
                    p.curvatureProduct(ParamVector.obaDirection(g), c, true);
                    p.curvatureProduct(nf.direction(g, "rand"), nf.inputs(), c, true);
                }
                DerivativeCheck.assertUnchanged(g, before, c + " pass in " + m);
            }
        }
    }
}
