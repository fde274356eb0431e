package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Loss;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Fixtures;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks one op against a PyTorch float64 fixture of {@code tools/fixtures/ops_cnn_fixtures.py}:
 * the graph's parameters, buffers and inputs are loaded from the file by name, then forward, loss,
 * backward (parameters and inputs), the output tangent and the EXACT H·(v, v_x) are compared, and
 * buffers after the forward too when the file has them ("after.*").
 */
final class OpFixture {
    private OpFixture() {}

    /** L = Σ r⊙y + ½ Σ s⊙y² with r, s read from the fixture; its R-gradient s⊙ẏ carries the loss curvature. */
    static final class FixtureQuadraticLoss implements Loss {
        private final Tensor r, s;

        FixtureQuadraticLoss(Tensor r, Tensor s) {
            this.r = r;
            this.s = s;
        }

        @Override
        public Evaluation evaluate(Tensor y, int[] labels) {
            assertEquals(Arrays.toString(r.shape()), Arrays.toString(y.shape()), "loss coefficients vs output shape");
            double v = 0;
            for (int i = 0; i < y.size(); i++) v += r.at(i) * (double) y.at(i) + 0.5 * s.at(i) * (double) y.at(i) * y.at(i);
            final double value = v;
            return new Evaluation() {
                @Override public double value() {
                    return value;
                }

                @Override public Tensor gradient() {
                    Tensor g = Tensor.zeros(y.shape());
                    for (int i = 0; i < y.size(); i++) g.setAt(i, (float) (r.at(i) + (double) s.at(i) * y.at(i)));
                    return g;
                }

                @Override public Tensor rGradient(Tensor yDot, Curvature c) {
                    if (yDot == null || !c.lossCurvature()) return null;
                    Tensor g = Tensor.zeros(y.shape());
                    for (int i = 0; i < y.size(); i++) g.setAt(i, s.at(i) * yDot.at(i));
                    return g;
                }
            };
        }
    }

    /** Sets every parameter and buffer of {@code g} to a copy of the fixture's {@code param.<name>}. */
    static void loadState(Graph g, Fixtures fx) {
        for (String name : g.state().keySet()) g.parameter(name).setValue(fx.tensor("param." + name).copy());
    }

    /**
     * Compares with tolerance |a − e| ≤ rtol·(|e| + max|e|): relative for large entries, relative to
     * the tensor's scale for entries that cancel to near zero.
     */
    static void assertClose(String what, Fixtures.Array expected, Tensor actual, double rtol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        double scale = 0;
        for (double e : expected.values()) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.values().length; i++) {
            double e = expected.values()[i], a = actual.at(i);
            if (!(Math.abs(a - e) <= rtol * (Math.abs(e) + scale))) {
                fail(what + ": mismatch at flat index " + i + " of " + expected.values().length + ": expected " + e + ", got " + a
                        + " (rtol " + rtol + ", scale " + scale + ")");
            }
        }
    }

    static void check(Graph g, String fixture, Mode mode, double rtol) {
        Fixtures fx = Fixtures.load("ops/" + fixture + ".txt");
        loadState(g, fx);
        Map<String, Tensor> inputs = new HashMap<>(), inputDirs = new HashMap<>();
        for (Node in : g.inputs()) {
            inputs.put(in.name(), fx.tensor("in." + in.name()));
            inputDirs.put(in.name(), fx.tensor("dirin." + in.name()));
        }
        ParamVector v = ParamVector.zeros(g);
        for (int i = 0; i < v.size(); i++) v.set(i, fx.tensor("dir." + g.parameters().get(i).name()));
        Loss loss = new FixtureQuadraticLoss(fx.tensor("loss.r"), fx.tensor("loss.s"));
        try (Pass p = Pass.forward(g, inputs, mode, 1L, true)) {
            assertClose(fixture + " forward", fx.array("out"), p.output(), rtol);
            double l = p.loss(loss, null);
            double le = fx.array("loss").values()[0];
            if (!(Math.abs(l - le) <= rtol * Math.max(1, Math.abs(le)))) fail(fixture + " loss " + l + ", expected " + le);
            for (Parameter b : g.buffers()) {
                if (fx.has("after." + b.name())) assertClose(fixture + " " + b.name() + " after forward", fx.array("after." + b.name()), b.value(), rtol);
            }
            Pass.Gradients grads = p.backward(true);
            for (int i = 0; i < v.size(); i++) {
                String n = g.parameters().get(i).name();
                assertClose(fixture + " gradient of " + n, fx.array("grad." + n), grads.parameters().getOrZeros(i), rtol);
            }
            for (Node in : g.inputs()) {
                Tensor gx = grads.nodeAdjoints().get(in.name());
                assertNotNull(gx, fixture + ": no adjoint for input " + in.name());
                assertClose(fixture + " gradient of input " + in.name(), fx.array("gradin." + in.name()), gx, rtol);
            }
            Tensor yDot = p.tangents(v, inputDirs).get(g.output().name());
            assertClose(fixture + " output tangent", fx.array("tangent"), yDot, rtol);
            Pass.CurvatureProduct hv = p.curvatureProduct(v, inputDirs, Curvature.EXACT, true);
            for (int i = 0; i < v.size(); i++) {
                String n = g.parameters().get(i).name();
                assertClose(fixture + " H·v block of " + n, fx.array("hv." + n), hv.product().getOrZeros(i), rtol);
            }
            for (Node in : g.inputs()) {
                Tensor h = hv.inputProducts().get(in.name());
                assertClose(fixture + " H·v block of input " + in.name(), fx.array("hvin." + in.name()),
                        h != null ? h : Tensor.zeros(inputs.get(in.name()).shape()), rtol);
            }
        }
    }
}
