package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Curvature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine on a ReLU MLP with a residual join: finite differences, OBA + GN = EXACT, no side effects. */
class MlpEngineTest {
    static Graph mlp() {
        GraphBuilder b = new GraphBuilder("mlp", 3);
        Node x = b.input("x", 12);
        Node h1 = b.add("relu1", new ReLU(), b.add("fc1", Linear.of(10), x));
        Node h2 = b.add("relu2", new ReLU(), b.add("fc2", Linear.of(10), h1));
        Node s = b.add("res", new Add(), h1, h2);
        return b.build(b.add("fc3", Linear.of(4), s));
    }

    static final int[] LABELS = {0, 3, 1, 2, 2, 1, 0};

    static Tensor input() {
        return Tensor.randn(new Random(11), 1f, 7, 12);
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        Graph g = mlp();
        new DerivativeCheck(g, Map.of("x", input()), new SoftmaxCrossEntropy(0.1), LABELS).run();
    }

    @Test
    void obaPlusGaussNewtonEqualsExactOnPiecewiseLinearNetwork() {
        Graph g = mlp();
        ParamVector v = ParamVector.obaDirection(g);
        try (Pass p = Pass.forward(g, input(), Mode.BATCH_STATS)) {
            p.loss(new SoftmaxCrossEntropy(), LABELS);
            ParamVector exact = p.curvatureProduct(v, Curvature.EXACT, false).product();
            ParamVector gn = p.curvatureProduct(v, Curvature.GAUSS_NEWTON, false).product();
            ParamVector oba = p.curvatureProduct(v, Curvature.OBA, false).product();
            double maxRel = 0;
            for (int i = 0; i < v.size(); i++) {
                Tensor e = exact.getOrZeros(i), a = gn.getOrZeros(i), o = oba.getOrZeros(i);
                double num = 0, den = 0, obaNorm = 0;
                for (int k = 0; k < e.size(); k++) {
                    double d = e.at(k) - (a.at(k) + o.at(k));
                    num += d * d;
                    den += e.at(k) * e.at(k);
                    obaNorm += o.at(k) * o.at(k);
                }
                maxRel = Math.max(maxRel, Math.sqrt(num / Math.max(den, 1e-30)));
                // The last layer's bias has no OBA term (nothing bilinear lies after it); every weight has one.
                if (v.parameter(i).name().endsWith("weight")) assertTrue(obaNorm > 0, "OBA term of " + v.parameter(i).name() + " is zero: test would pass by accident");
            }
            assertTrue(maxRel < 1e-5, "OBA + GN differs from EXACT by " + maxRel);
        }
    }

    @Test
    void passesLeaveTheModelBitIdentical() {
        Graph g = mlp();
        Map<String, int[]> before = DerivativeCheck.snapshot(g);
        for (Curvature c : Curvature.values()) {
            try (Pass p = Pass.forward(g, input(), Mode.BATCH_STATS)) {
                p.loss(new SoftmaxCrossEntropy(), LABELS);
                p.backward(true);
                p.curvatureProduct(ParamVector.obaDirection(g), c, true);
            }
            DerivativeCheck.assertUnchanged(g, before, c + " pass");
        }
    }

    @Test
    void gradientMatchesForHvpAndBackward() {
        Graph g = mlp();
        try (Pass p = Pass.forward(g, input(), Mode.EVAL)) {
            p.loss(new SoftmaxCrossEntropy(), LABELS);
            ParamVector a = p.backward(false).parameters();
            ParamVector b = p.curvatureProduct(ParamVector.obaDirection(g), Curvature.EXACT, true).gradient();
            assertEquals(a.dot(a), b.dot(a), 1e-9 * a.dot(a));
        }
    }
}
