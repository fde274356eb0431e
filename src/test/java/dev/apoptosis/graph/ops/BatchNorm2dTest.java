package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchNorm2dTest {
    private static Graph single() {
        GraphBuilder b = new GraphBuilder("bn", 1);
        Node x = b.input("x", 4, 3, 3);
        return b.build(b.add("op", new BatchNorm2d(), x));
    }

    /**
     * x → conv → BN → 1×1 conv, random γ, β and running statistics: every term of the rules is
     * exercised. The first conv has no bias: with batch statistics its gradient is exactly zero, which
     * finite differences of a float32 loss cannot confirm to a relative tolerance.
     */
    private static Graph convBnConv(long seed) {
        GraphBuilder b = new GraphBuilder("cbc", seed);
        Node x = b.input("x", 2, 4, 4);
        Node h = b.add("bn", new BatchNorm2d(), b.add("conv", Conv2d.of(3, 3, 1, 1, false), x));
        Graph g = b.build(b.add("mix", Conv2d.of(2, 1, 1, 0, true), h));
        OpTestSupport.randomizeState(g, seed);
        g.parameter("bn.weight").setValue(Tensor.wrap(new float[] {1.3f, -0.7f, 0.9f}, new int[] {3}));
        return g;
    }

    @Test
    void rulesAgreeWithFiniteDifferencesWithBatchStatistics() {
        Graph g = convBnConv(3);
        new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(4, 3, 2, 4, 4)), new QuadraticLoss(5), null)
                .mode(Mode.BATCH_STATS).run();
    }

    @Test
    void rulesAgreeWithFiniteDifferencesWithRunningStatistics() {
        Graph g = convBnConv(6);
        new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(7, 3, 2, 4, 4)), new QuadraticLoss(8), null)
                .mode(Mode.EVAL).run();
    }

    @Test
    void matchesPyTorchInTrainModeIncludingTheRunningStatisticsUpdate() {
        OpFixture.check(single(), "batchnorm2d_train", Mode.TRAIN, 1e-4);
    }

    @Test
    void matchesPyTorchInEvalMode() {
        OpFixture.check(single(), "batchnorm2d_eval", Mode.EVAL, 1e-4);
    }

    @Test
    void onlyTrainModeUpdatesRunningStatistics() {
        for (Mode m : Mode.values()) {
            Graph g = single();
            OpTestSupport.randomizeState(g, 2);
            Map<String, int[]> before = DerivativeCheck.snapshot(g);
            Tensor x = OpTestSupport.randn(3, 5, 4, 3, 3);
            float[] rm0 = g.parameter("op.running_mean").value().toArray(), rv0 = g.parameter("op.running_var").value().toArray();
            try (Pass p = Pass.forward(g, x, m)) {
                p.loss(new QuadraticLoss(1), null);
                p.backward(false);
                for (Curvature c : Curvature.values()) p.curvatureProduct(ParamVector.values(g, q -> true), c, true);
            }
            if (m != Mode.TRAIN) {
                DerivativeCheck.assertUnchanged(g, before, m + " passes");
                continue;
            }
            // Reference update from plain loops: momentum 0.1, unbiased batch variance.
            int n = 5, c = 4, hw = 9, cnt = n * hw;
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) for (int q = 0; q < hw; q++) s += x.at((i * c + ch) * hw + q);
                double mu = s / cnt, ss = 0;
                for (int i = 0; i < n; i++) for (int q = 0; q < hw; q++) ss += Math.pow(x.at((i * c + ch) * hw + q) - mu, 2);
                assertEquals(0.9 * rm0[ch] + 0.1 * mu, g.parameter("op.running_mean").value().at(ch), 1e-6);
                assertEquals(0.9 * rv0[ch] + 0.1 * ss / (cnt - 1), g.parameter("op.running_var").value().at(ch), 1e-6);
            }
            assertEquals(before.get("op.weight")[0], Float.floatToRawIntBits(g.parameter("op.weight").value().at(0)), "γ untouched");
        }
    }

    /**
     * The (γ, x) cross terms are `nonlinear`: with running statistics and OBA's direction (γ̇ = 0),
     * OBA + GN = EXACT on every Conv/Linear block and on β, and on γ EXACT exceeds OBA + GN by exactly
     * Σ g·r·ẋ (g the BN output adjoint, ẋ its input tangent, r = 1/√(running_var + ε)).
     */
    @Test
    void gammaCrossTermIsTheOnlyDifferenceBetweenObaPlusGnAndExactInEvalMode() {
        GraphBuilder b = new GraphBuilder("cnn", 12);
        Node x = b.input("x", 3, 6, 6);
        Node h = b.add("bn", new BatchNorm2d(), b.add("conv1", Conv2d.of(4, 3, 1, 1, false), x));
        h = b.add("relu", new ReLU(), h);
        h = b.add("gap", new GlobalAvgPool(), b.add("conv2", Conv2d.of(5, 3, 1, 1, true), h));
        Graph g = b.build(b.add("fc", Linear.of(3), h));
        OpTestSupport.randomizeState(g, 13);
        Tensor in = OpTestSupport.randn(14, 4, 3, 6, 6);
        int[] labels = {0, 2, 1, 1};
        ParamVector[] r = OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", in), labels, Mode.EVAL,
                p -> !p.name().equals("bn.weight"));
        int gi = g.parameterIndex(g.parameter("bn.weight"));
        Tensor diff = Tensor.zeros(4);
        for (int k = 0; k < 4; k++) diff.setAt(k, r[0].getOrZeros(gi).at(k) - r[1].getOrZeros(gi).at(k) - r[2].getOrZeros(gi).at(k));
        Tensor expected = Tensor.zeros(4);
        try (Pass p = Pass.forward(g, in, Mode.EVAL)) {
            p.loss(new SoftmaxCrossEntropy(), labels);
            Tensor gBn = p.backward(true).nodeAdjoints().get("bn");
            Tensor xDot = p.tangents(ParamVector.obaDirection(g)).get("conv1");
            Tensor rv = g.parameter("bn.running_var").value();
            for (int ch = 0; ch < 4; ch++) {
                double s = 0;
                for (int i = 0; i < 4; i++) for (int q = 0; q < 36; q++) s += gBn.at((i * 4 + ch) * 36 + q) * (double) xDot.at((i * 4 + ch) * 36 + q);
                expected.setAt(ch, (float) (s / Math.sqrt(rv.at(ch) + 1e-5)));
            }
        }
        double norm = 0;
        for (int k = 0; k < 4; k++) norm = Math.max(norm, Math.abs(expected.at(k)));
        assertTrue(norm > 1e-3, "cross term is zero: the check would pass by accident");
        Assertions2.assertClose("EXACT − (OBA + GN) on bn.weight", expected, diff, 1e-3, 1e-4 * norm);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Graph g = convBnConv(9);
        Tensor x = OpTestSupport.randn(10, 3, 2, 4, 4);
        float[][] one = passResults(g, x, 1), two = passResults(g, x, 2);
        for (int i = 0; i < one.length; i++) Assertions2.assertBitIdentical("result " + i, one[i], two[i]);
    }

    /**
     * BatchNorm reuses per-channel sums between the rules of one curvature pass (tangent → rBackward,
     * backward → rBackward). Several derivative passes on one forward, in any order and along other
     * directions, must each give exactly what a fresh forward gives: nothing may leak between them.
     */
    @Test
    void derivativePassesOnOneForwardDoNotShareStaleSums() {
        Graph g = convBnConv(11);
        Tensor x = OpTestSupport.randn(12, 3, 2, 4, 4);
        ParamVector v1 = ParamVector.values(g, q -> true), v2 = ParamVector.zeros(g);
        for (int i = 0; i < v2.size(); i++) v2.set(i, OpTestSupport.randn(20 + i, v1.get(i).shape()));
        float[][] fresh1 = curvature(g, x, v1), fresh2 = curvature(g, x, v2);
        try (Pass p = Pass.forward(g, x, Mode.BATCH_STATS)) {
            p.loss(new QuadraticLoss(3), null);
            p.backward(true);
            p.tangents(v1);
            float[][] second = results(p.curvatureProduct(v2, Curvature.EXACT, true));
            p.tangents(v2);
            p.backward(false);
            float[][] first = results(p.curvatureProduct(v1, Curvature.EXACT, true));
            for (int i = 0; i < first.length; i++) {
                Assertions2.assertBitIdentical("along v1, result " + i, fresh1[i], first[i]);
                Assertions2.assertBitIdentical("along v2, result " + i, fresh2[i], second[i]);
            }
        }
    }

    private static float[][] curvature(Graph g, Tensor x, ParamVector v) {
        try (Pass p = Pass.forward(g, x, Mode.BATCH_STATS)) {
            p.loss(new QuadraticLoss(3), null);
            return results(p.curvatureProduct(v, Curvature.EXACT, true));
        }
    }

    private static float[][] results(Pass.CurvatureProduct hv) {
        float[][] r = new float[2 * hv.product().size()][];
        for (int i = 0; i < hv.product().size(); i++) {
            r[2 * i] = hv.product().getOrZeros(i).toArray();
            r[2 * i + 1] = hv.gradient().getOrZeros(i).toArray();
        }
        return r;
    }

    private static float[][] passResults(Graph g, Tensor x, int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try (Pass p = Pass.forward(g, x, Mode.BATCH_STATS)) {
            p.loss(new QuadraticLoss(3), null);
            Pass.CurvatureProduct hv = p.curvatureProduct(ParamVector.values(g, q -> true), Curvature.EXACT, true);
            return new float[][] {p.output().toArray(), hv.product().getOrZeros(2).toArray(), hv.gradient().getOrZeros(2).toArray(),
                    hv.product().getOrZeros(0).toArray()};
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void declaresParametersBuffersAndProperties() {
        BatchNorm2d op = new BatchNorm2d(1e-3, 0.2);
        int[][] in = {{6, 4, 4}};
        List<ParamSpec> ps = op.params(in);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var"), ps.stream().map(ParamSpec::name).toList());
        for (ParamSpec p : ps) {
            assertArrayEquals(new int[] {6}, p.shape());
            assertEquals(0, p.outChannelAxis());
        }
        assertTrue(ps.get(0).trainable() && ps.get(1).trainable() && !ps.get(2).trainable() && !ps.get(3).trainable());
        assertTrue(op.has(OpProperty.NORMALIZATION) && op.has(OpProperty.BATCH_COUPLED));
        assertTrue(!op.has(OpProperty.PARAMETER_LAYER) && !op.has(OpProperty.PIECEWISE_LINEAR));
        OpTestSupport.assertRebuildsFromAttrs(op);
        Graph g = single();
        for (Parameter p : List.of(g.parameter("op.weight"), g.parameter("op.running_var"))) {
            for (int i = 0; i < 4; i++) assertEquals(1f, p.value().at(i));
        }
        for (Parameter p : List.of(g.parameter("op.bias"), g.parameter("op.running_mean"))) {
            for (int i = 0; i < 4; i++) assertEquals(0f, p.value().at(i));
        }
        assertEquals(2, g.parameters().size());
        assertEquals(2, g.buffers().size());
    }

    @Test
    void badInputsAreReported() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node flat = b.input("flat", 8);
        assertError(() -> b.add("bn", new BatchNorm2d(), flat), "bn", "BatchNorm2d", "[8]");
        assertError(() -> new BatchNorm2d(0, 0.1), "BatchNorm2d", "eps");
        assertError(() -> new BatchNorm2d(1e-5, 1.5), "BatchNorm2d", "momentum");
        GraphBuilder b2 = new GraphBuilder("g2", 1);
        Node x = b2.input("x", 3, 1, 1);
        Graph g = b2.build(b2.add("norm", new BatchNorm2d(), x));
        assertError(() -> Pass.forward(g, Tensor.zeros(1, 3, 1, 1), Mode.BATCH_STATS), "norm", "more than one value per channel");
        try (Pass p = Pass.forward(g, Tensor.zeros(1, 3, 1, 1), Mode.EVAL)) {
            assertEquals(0f, p.output().at(0));
        }
    }
}
