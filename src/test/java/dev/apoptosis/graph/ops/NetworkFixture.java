package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Fixtures;
import java.util.Map;

/**
 * A whole network against a PyTorch float64 fixture of {@code ops_cnn_fixtures.py}: the same
 * architecture with identical parameter values (loaded by parameter name), one batch with labels and
 * softmax cross-entropy. Compares logits, loss, gradient (parameters and input), and for two
 * directions the curvature products of all three modes, parameter and input blocks: EXACT with double
 * backward, GAUSS_NEWTON with Jᵀ H_ℓ J v, OBA with the reference's upward + downward terms. The random
 * direction moves every parameter and the input; OBA's direction is θ on Conv/Linear, zero elsewhere.
 */
final class NetworkFixture {
    final Fixtures fx;
    final Tensor input;
    final int[] labels;

    NetworkFixture(Graph g, String file) {
        fx = Fixtures.load("ops/" + file + ".txt");
        OpFixture.loadState(g, fx);
        input = fx.tensor("in.x");
        double[] l = fx.array("labels").values();
        labels = new int[l.length];
        for (int i = 0; i < l.length; i++) labels[i] = (int) l[i];
    }

    Map<String, Tensor> inputs() {
        return Map.of("x", input);
    }

    ParamVector direction(Graph g, String name) {
        ParamVector v = ParamVector.zeros(g);
        for (int i = 0; i < v.size(); i++) v.set(i, fx.tensor("dir_" + name + "." + g.parameters().get(i).name()));
        return v;
    }

    void check(Graph g, Mode mode, double rtol) {
        try (Pass p = Pass.forward(g, inputs(), mode, 1L, true)) {
            OpFixture.assertClose("logits", fx.array("logits"), p.output(), rtol);
            double loss = p.loss(new SoftmaxCrossEntropy(), labels);
            assertEquals(fx.array("loss").values()[0], loss, rtol * Math.abs(loss), "loss");
            Pass.Gradients grads = p.backward(true);
            ParamVector grad = grads.parameters();
            OpFixture.assertClose("gradient of input", fx.array("gradin.x"), grads.nodeAdjoints().get("x"), rtol);
            for (int i = 0; i < grad.size(); i++) {
                String n = g.parameters().get(i).name();
                OpFixture.assertClose("gradient of " + n, fx.array("grad." + n), grad.getOrZeros(i), rtol);
            }
            for (String dir : new String[] {"rand", "oba"}) {
                ParamVector v = direction(g, dir);
                if (dir.equals("oba")) assertMatchesObaDirection(g, v);
                Map<String, Tensor> inputDir = dir.equals("rand") ? Map.of("x", fx.tensor("dirin_rand.x")) : Map.of();
                for (Curvature c : Curvature.values()) {
                    String key = switch (c) {
                        case EXACT -> "hv_";
                        case GAUSS_NEWTON -> "gv_";
                        case OBA -> "oba_";
                    };
                    Pass.CurvatureProduct cp = p.curvatureProduct(v, inputDir, c, false);
                    ParamVector prod = cp.product();
                    if (!inputDir.isEmpty()) {
                        OpFixture.assertClose(c + " product along " + dir + " direction, input block",
                                fx.array(key.replace("_", "in_") + dir + ".x"), cp.inputProducts().get("x"), rtol);
                    }
                    for (int i = 0; i < prod.size(); i++) {
                        String n = g.parameters().get(i).name();
                        OpFixture.assertClose(c + " product along " + dir + " direction, block " + n, fx.array(key + dir + "." + n),
                                prod.getOrZeros(i), rtol);
                    }
                }
            }
        }
    }

    /** The fixture's OBA direction is what {@link ParamVector#obaDirection} builds from the loaded values. */
    private static void assertMatchesObaDirection(Graph g, ParamVector fromFixture) {
        ParamVector mine = ParamVector.obaDirection(g);
        for (int i = 0; i < mine.size(); i++) {
            Tensor a = mine.getOrZeros(i), b = fromFixture.getOrZeros(i);
            for (int k = 0; k < a.size(); k++) {
                assertEquals(b.at(k), a.at(k), 0f, "OBA direction of " + g.parameters().get(i).name());
            }
        }
    }
}
