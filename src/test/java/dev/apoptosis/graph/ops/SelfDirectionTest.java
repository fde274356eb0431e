package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conv2d and Linear fold their two bilinear terms into one product when the weight's direction is
 * the weight itself (v = θ, {@link SelfDirection}). The folded rules must give what the general
 * rules give: by linearity in v, the product along θ equals the product along θ + u minus the product
 * along u for a random u, and neither of those directions is the weight, so they take the general
 * path. Checked for tangents and for all three curvature modes, on the residual BN CNN (both
 * BatchNorm settings, grouped conv and conv bias included) and on a Linear stack over tokens.
 */
class SelfDirectionTest {
    @Test
    void recognisesTheWeightBitForBit() {
        Tensor w = OpTestSupport.randn(1, 3, 4);
        assertTrue(SelfDirection.is(w, w));
        assertTrue(SelfDirection.is(w.copy(), w));
        Tensor other = w.copy();
        other.setAt(11, Math.nextUp(other.at(11)));
        assertFalse(SelfDirection.is(other, w));
        assertFalse(SelfDirection.is(null, w));
        assertFalse(SelfDirection.is(w.reshape(4, 3), w));
    }

    @Test
    void foldedRulesMatchTheGeneralOnesOnACnn() {
        for (Mode m : new Mode[] {Mode.BATCH_STATS, Mode.EVAL}) {
            Graph g = CnnNetworkTest.cnn(6, 8, 8, 3);
            OpTestSupport.randomizeState(g, 3);
            check(g, OpTestSupport.randn(4, 3, 3, 8, 8), new int[] {0, 4, 2}, m, "fc");
        }
    }

    @Test
    void foldedRulesMatchTheGeneralOnesOnLinearLayersOverTokens() {
        GraphBuilder b = new GraphBuilder("tokens", 5);
        Node x = b.input("x", 4, 6);
        Node h = b.add("gelu", new GELU(), b.add("fc1", Linear.of(8), x));
        h = b.add("fc2", new Linear(6, false), h);
        Graph g = b.build(b.add("head", Linear.of(3), b.add("select", new SelectToken(0), h)));
        OpTestSupport.randomizeState(g, 6);
        check(g, OpTestSupport.randn(7, 5, 4, 6), new int[] {0, 2, 1, 1, 0}, Mode.EVAL, "head");
    }

    private static void check(Graph g, Tensor x, int[] labels, Mode mode, String outputNode) {
        ParamVector theta = ParamVector.values(g, p -> true);
        ParamVector u = ParamVector.zeros(g);
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < u.size(); i++) u.set(i, Tensor.randn(r, 0.5f, g.parameters().get(i).spec().shape()));
        ParamVector thetaPlusU = theta.copy().axpy(1, u);
        try (Pass p = Pass.forward(g, Map.of("x", x), mode, 1L, true)) {
            p.loss(new SoftmaxCrossEntropy(), labels);
            Tensor t = p.tangents(theta).get(outputNode);
            Tensor tDiff = dev.apoptosis.tensor.elementwise.Elementwise.sub(p.tangents(thetaPlusU).get(outputNode), p.tangents(u).get(outputNode));
            Assertions2.assertClose("output tangent along θ", tDiff, t, 1e-3, 1e-4);
            for (Curvature c : Curvature.values()) {
                ParamVector a = p.curvatureProduct(theta, c, false).product();
                ParamVector bb = p.curvatureProduct(thetaPlusU, c, false).product();
                ParamVector cc = p.curvatureProduct(u, c, false).product();
                ParamVector diff = bb.copy().axpy(-1, cc);
                double scale = Math.max(diff.norm(), 1e-6);
                for (int i = 0; i < a.size(); i++) {
                    Assertions2.assertClose(c + " along θ, block " + a.parameter(i).name(), diff.getOrZeros(i), a.getOrZeros(i), 1e-3,
                            2e-4 * scale);
                }
            }
        }
    }
}
