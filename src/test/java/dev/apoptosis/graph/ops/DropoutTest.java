package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dropout draws its mask from Java's generator, which PyTorch cannot reproduce, so its oracles are
 * finite differences (a pass with the same seed draws the same mask), plain reference loops with the
 * mask read back from the forward, and the mask's statistics.
 */
class DropoutTest {
    private static Graph convDropConv() {
        GraphBuilder b = new GraphBuilder("drop", 2);
        Node h = b.add("op", new Dropout(0.4), b.add("conv", Conv2d.of(3, 3, 1, 1, true), b.input("x", 2, 4, 4)));
        return b.build(b.add("mix", Conv2d.of(2, 1, 1, 0, true), h));
    }

    @Test
    void rulesAgreeWithFiniteDifferencesWithTheMaskActive() {
        new DerivativeCheck(convDropConv(), Map.of("x", OpTestSupport.randn(3, 3, 2, 4, 4)), new QuadraticLoss(4), null)
                .mode(Mode.BATCH_STATS).run();
    }

    /** Every rule of one pass applies the forward's mask: checked against loops over that mask. */
    @Test
    void allRulesOfAPassUseTheSameScaledMask() {
        GraphBuilder b = new GraphBuilder("drop", 1);
        Graph g = b.build(b.add("op", new Dropout(0.25), b.input("x", 50, 40)));
        Tensor x = OpTestSupport.randn(5, 4, 50, 40);
        Tensor xDot = OpTestSupport.randn(6, 4, 50, 40);
        try (Pass p = Pass.forward(g, Map.of("x", x), Mode.TRAIN, 9L, true)) {
            Tensor y = p.output();
            float[] mask = new float[x.size()];
            int kept = 0;
            for (int i = 0; i < x.size(); i++) {
                mask[i] = y.at(i) / x.at(i);
                boolean keep = mask[i] != 0f;
                if (keep) {
                    kept++;
                    assertEquals(1 / 0.75f, mask[i], 1e-5, "kept values are scaled by 1/(1-p)");
                }
            }
            double frac = kept / (double) x.size();
            assertEquals(0.75, frac, 0.02, "fraction kept");
            p.loss(new QuadraticLoss(2), null);
            Tensor gy = p.lossEvaluation().gradient();
            Tensor gx = p.backward(true).nodeAdjoints().get("x");
            Tensor yDot = p.tangents(ParamVector.zeros(g), Map.of("x", xDot)).get("op");
            Pass.CurvatureProduct hv = p.curvatureProduct(ParamVector.zeros(g), Map.of("x", xDot), Curvature.EXACT, false);
            Tensor gDotY = p.lossEvaluation().rGradient(yDot, Curvature.EXACT);
            for (int i = 0; i < x.size(); i++) {
                assertEquals(mask[i] * gy.at(i), gx.at(i), 1e-5, "backward");
                assertEquals(mask[i] * xDot.at(i), yDot.at(i), 1e-5, "tangent");
                assertEquals(mask[i] * gDotY.at(i), hv.inputProducts().get("x").at(i), 1e-4, "rBackward");
            }
        }
    }

    @Test
    void sameSeedSameMaskOtherSeedOtherMaskAndEvalIsTheIdentity() {
        GraphBuilder b = new GraphBuilder("drop", 1);
        Graph g = b.build(b.add("op", new Dropout(0.5), b.input("x", 64)));
        Tensor x = OpTestSupport.randn(1, 3, 64);
        float[] a, c, d;
        try (Pass p = Pass.forward(g, Map.of("x", x), Mode.BATCH_STATS, 1L, true)) {
            a = p.output().toArray();
        }
        try (Pass p = Pass.forward(g, Map.of("x", x), Mode.BATCH_STATS, 1L, true)) {
            c = p.output().toArray();
        }
        try (Pass p = Pass.forward(g, Map.of("x", x), Mode.BATCH_STATS, 2L, true)) {
            d = p.output().toArray();
        }
        assertTrue(java.util.Arrays.equals(a, c), "same seed, same mask");
        assertTrue(!java.util.Arrays.equals(a, d), "another seed, another mask");
        try (Pass p = Pass.forward(g, Map.of("x", x), Mode.EVAL, 1L, true)) {
            assertSame(x, p.output(), "eval mode passes the input through");
        }
    }

    @Test
    void obaPlusGaussNewtonIsExactWithTheMaskActive() {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), b.input("x", 3, 6, 6)));
        h = b.add("relu2", new ReLU(), b.add("conv2", Conv2d.of(4, 3, 1, 1, true), b.add("drop", new Dropout(0.3), h)));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("gap", new GlobalAvgPool(), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 6, 6)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresPropertiesAndRejectsBadProbabilities() {
        Dropout op = new Dropout(0.1);
        assertTrue(op.has(OpProperty.STOCHASTIC));
        OpTestSupport.assertRebuildsFromAttrs(op);
        assertError(() -> new Dropout(1.0), "Dropout", "[0, 1)");
        assertError(() -> new Dropout(-0.1), "Dropout", "[0, 1)");
    }
}
