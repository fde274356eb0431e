package dev.apoptosis.importance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On piecewise-linear networks (ReLU, max/avg-pool, add, BatchNorm on running statistics) the only
 * curvature besides the loss's is OBA's, so the {@code oba} criterion must equal
 * θ ⊙ ((H − G) θ) built from two explicit curvature products along the same direction, EXACT minus
 * GAUSS_NEWTON, in EVAL mode. Also with the reference's sign variants and first-order weight:
 * sign(θ) ⊙ ((H − G) sign(θ) + δ₀ g). And {@code exact} equals θ ⊙ (Hθ) along θ on every parameter.
 */
class ObaOracleTest {
    @Test
    void obaIsHMinusGOnAReluMlp() {
        Graph g = TestNets.mlp(3);
        check(g, TestNets.randn(11, 9, 6), TestNets.labels(12, 9, 4));
    }

    @Test
    void obaIsHMinusGOnAResidualBnCnnWithRunningStatistics() {
        Graph g = TestNets.resnet(4);
        TestNets.randomize(g, 4);
        check(g, TestNets.randn(13, 5, 3, 6, 6), TestNets.labels(14, 5, 5));
    }

    /**
     * The identity needs a direction that leaves BatchNorm's γ alone: moving γ adds the cross term
     * γ̇·x̂ at the BatchNorm, which flows back to every Conv/Linear block upstream of it (here conv0,
     * two BatchNorms below the classifier), so EXACT − GN − OBA is then far from zero there.
     */
    @Test
    void movingBatchNormGammaBreaksTheIdentityUpstream() {
        Graph g = TestNets.resnet(4);
        TestNets.randomize(g, 4);
        Tensor x = TestNets.randn(13, 5, 3, 6, 6);
        int[] labels = TestNets.labels(14, 5, 5);
        int conv0 = g.parameterIndex(g.parameter("conv0.weight"));
        double[] rel = new double[2];
        for (int moveGamma = 0; moveGamma < 2; moveGamma++) {
            boolean withGamma = moveGamma == 1;
            ParamVector v = ParamVector.values(g, p -> p.node().op().has(dev.apoptosis.graph.OpProperty.PARAMETER_LAYER)
                    || withGamma && p.name().endsWith("bn2.weight"));
            try (Pass p = Pass.forward(g, x, Mode.EVAL)) {
                p.loss(new SoftmaxCrossEntropy(), labels);
                Tensor e = p.curvatureProduct(v, Curvature.EXACT, false).product().getOrZeros(conv0);
                Tensor gn = p.curvatureProduct(v, Curvature.GAUSS_NEWTON, false).product().getOrZeros(conv0);
                Tensor o = p.curvatureProduct(v, Curvature.OBA, false).product().getOrZeros(conv0);
                double num = 0, den = 0;
                for (int k = 0; k < e.size(); k++) {
                    double d = (double) e.at(k) - gn.at(k) - o.at(k);
                    num += d * d;
                    den += (double) e.at(k) * e.at(k);
                }
                rel[moveGamma] = Math.sqrt(num / den);
            }
        }
        assertTrue(rel[0] < 1e-4, "v = θ on Conv/Linear: EXACT − GN − OBA on conv0 is " + rel[0] + " of EXACT");
        assertTrue(rel[1] > 1e-2, "v also on bn2's γ: EXACT − GN − OBA on conv0 is only " + rel[1] + " of EXACT");
    }

    private static void check(Graph g, Tensor x, int[] labels) {
        for (boolean variants : new boolean[] {false, true}) {
            CriterionOptions.Builder o = CriterionOptions.builder().batchNorm(BatchNormStatistics.RUNNING);
            if (variants) o.delta0(0.5).selfUnitWeight(true).otherUnitWeight(true);
            Criterion c = Criteria.create("oba", o.build());
            Scores s = c.newScores(g);
            c.accumulate(g, x, labels, s);
            List<Parameter> ps = c.scoredParameters(g);
            Map<String, double[]> expected = hMinusG(g, ps, x, labels, variants);
            ScoreAsserts.assertClose("oba " + (variants ? "with sign variants and delta0 " : "") + "on " + g.name(), expected,
                    ScoreAsserts.means(s), 1e-3, 1e-5);
            double norm = 0;
            for (double[] e : expected.values()) for (double v : e) norm += v * v;
            assertTrue(norm > 1e-8, "H − G vanishes on " + g.name() + ": the check would hold by accident");
        }
        Criterion exact = Criteria.create("exact", CriterionOptions.builder().batchNorm(BatchNormStatistics.RUNNING).build());
        Scores s = exact.newScores(g);
        exact.accumulate(g, x, labels, s);
        Map<String, double[]> expected = new LinkedHashMap<>();
        try (Pass p = Pass.forward(g, x, Mode.EVAL)) {
            p.loss(new SoftmaxCrossEntropy(), labels);
            ParamVector v = ParamVector.values(g, q -> true);
            ParamVector hv = p.curvatureProduct(v, Curvature.EXACT, false).product();
            for (int i = 0; i < v.size(); i++) {
                Tensor th = v.get(i), h = hv.getOrZeros(i);
                double[] e = new double[th.size()];
                for (int k = 0; k < e.length; k++) e[k] = (double) th.at(k) * h.at(k);
                expected.put(v.parameter(i).name(), e);
            }
        }
        ScoreAsserts.assertClose("exact on " + g.name(), expected, ScoreAsserts.means(s), 1e-6, 0);
    }

    /** m ⊙ ((H − G) u + δ₀ g) with m = u = θ, or m = u = sign θ and δ₀ = 0.5 when {@code variants}. */
    private static Map<String, double[]> hMinusG(Graph g, List<Parameter> ps, Tensor x, int[] labels, boolean variants) {
        ParamVector u = ParamVector.zeros(g);
        for (Parameter p : ps) {
            Tensor t = p.value().copy();
            if (variants) for (int k = 0; k < t.size(); k++) t.setAt(k, Math.signum(t.at(k)));
            u.set(g.parameterIndex(p), t);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        try (Pass p = Pass.forward(g, x, Mode.EVAL)) {
            p.loss(new SoftmaxCrossEntropy(), labels);
            ParamVector h = p.curvatureProduct(u, Curvature.EXACT, false).product();
            ParamVector gn = p.curvatureProduct(u, Curvature.GAUSS_NEWTON, false).product();
            ParamVector grad = p.backward(false).parameters();
            for (Parameter par : ps) {
                int i = g.parameterIndex(par);
                Tensor m = u.get(i), hi = h.getOrZeros(i), gi = gn.getOrZeros(i), di = grad.getOrZeros(i);
                double[] e = new double[m.size()];
                for (int k = 0; k < e.length; k++) {
                    e[k] = m.at(k) * ((double) hi.at(k) - gi.at(k) + (variants ? 0.5 * di.at(k) : 0));
                }
                out.put(par.name(), e);
            }
        }
        return out;
    }
}
