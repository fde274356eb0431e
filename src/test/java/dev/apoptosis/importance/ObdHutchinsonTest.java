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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Hutchinson estimate of {@code obd} converges to ½ θ_i² G_ii with the Gauss–Newton diagonal
 * formed explicitly, one GAUSS_NEWTON product per unit vector, on a ReLU MLP (137 parameters).
 *
 * <p>Tolerance: with K probes of independent ±1 entries, the estimate of G_ii has variance
 * Σ_{j≠i} G_ij² / K, so the squared error of the scores has expectation
 * E = Σ_i (½θ_i²)² Σ_{j≠i} G_ij² / K. The test asserts a squared error below 3·E at K = 4000 (the
 * squared error sums 137 roughly independent terms, so it rarely exceeds 1.5·E), and that a single
 * probe misses that bound (its expected squared error is 4000·E), so the check can fail.
 */
class ObdHutchinsonTest {
    @Test
    void hutchinsonConvergesToTheExplicitGaussNewtonDiagonal() {
        Graph g = TestNets.mlp(7);
        Tensor x = TestNets.randn(31, 8, 6);
        int[] labels = TestNets.labels(32, 8, 4);
        List<Parameter> ps = g.parameters();
        int n = 0;
        for (Parameter p : ps) n += p.size();
        double[][] gn = new double[n][];
        try (Pass pass = Pass.forward(g, x, Mode.BATCH_STATS)) {
            pass.loss(new SoftmaxCrossEntropy(), labels);
            int col = 0;
            for (Parameter p : ps) {
                for (int k = 0; k < p.size(); k++, col++) {
                    ParamVector e = ParamVector.zeros(g);
                    Tensor t = Tensor.zeros(p.spec().shape());
                    t.setAt(k, 1f);
                    e.set(g.parameterIndex(p), t);
                    gn[col] = flat(g, pass.curvatureProduct(e, Curvature.GAUSS_NEWTON, false).product());
                }
            }
        }
        double[] theta = flat(g, ParamVector.values(g, q -> true));
        double[] exact = new double[n];
        double expectedSq1 = 0;
        for (int i = 0; i < n; i++) {
            double w = 0.5 * theta[i] * theta[i];
            exact[i] = w * gn[i][i];
            double off = 0;
            for (int j = 0; j < n; j++) if (j != i) off += gn[j][i] * gn[j][i];
            expectedSq1 += w * w * off;
        }
        int probes = 4000;
        double bound = 3 * expectedSq1 / probes;
        double errMany = squaredError(g, x, labels, probes, exact);
        double errOne = squaredError(g, x, labels, 1, exact);
        double norm = 0;
        for (double e : exact) norm += e * e;
        assertTrue(errMany <= bound, "obd with " + probes + " probes: squared error " + errMany + " > 3 × expectation = " + bound);
        assertTrue(errOne > bound, "obd with 1 probe: squared error " + errOne + " within the bound " + bound + ": the check is too loose");
        assertTrue(Math.sqrt(errMany / norm) < 0.05, "obd with " + probes + " probes: relative error " + Math.sqrt(errMany / norm));
    }

    private static double squaredError(Graph g, Tensor x, int[] labels, int probes, double[] exact) {
        Criterion c = Criteria.create("obd", CriterionOptions.builder().probes(probes).seed(5).build());
        Scores s = c.newScores(g);
        c.accumulate(g, x, labels, s);
        double err = 0;
        int k = 0;
        for (String name : s.names()) for (double v : s.mean(name)) err += (v - exact[k]) * (v - exact[k++]);
        return err;
    }

    private static double[] flat(Graph g, ParamVector v) {
        int n = 0;
        for (Parameter p : g.parameters()) n += p.size();
        double[] out = new double[n];
        int k = 0;
        for (int i = 0; i < v.size(); i++) {
            Tensor t = v.getOrZeros(i);
            for (int j = 0; j < t.size(); j++) out[k++] = t.at(j);
        }
        return out;
    }
}
