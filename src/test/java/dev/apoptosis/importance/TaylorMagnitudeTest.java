package dev.apoptosis.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * {@code magnitude} and {@code taylor} against plain loops over the parameter values and the
 * engine's gradient: per entry |θ|, θ², and θ·g averaged over two batches; both score exactly the
 * Conv/Linear weights and biases (a BatchNorm γ is not scored).
 */
class TaylorMagnitudeTest {
    @Test
    void magnitudeIsAbsoluteValueOrSquare() {
        Graph g = TestNets.resnet(2);
        TestNets.randomize(g, 2);
        for (int norm : new int[] {1, 2}) {
            Criterion c = Criteria.create("magnitude", CriterionOptions.builder().norm(norm).build());
            assertFalse(c.needsData());
            Scores s = c.newScores(g);
            c.accumulate(g, null, null, s);
            c.accumulate(g, null, null, s);
            assertEquals(List.of("conv0.weight", "conv1.weight", "conv2.weight", "short.weight", "fc.weight", "fc.bias"),
                    List.copyOf(s.names()));
            for (String n : s.names()) {
                Tensor t = g.parameter(n).value();
                double[] m = s.mean(n), sum = s.sum(n);
                for (int i = 0; i < t.size(); i++) {
                    double x = t.at(i), want = norm == 1 ? Math.abs(x) : x * x;
                    assertEquals(want, m[i], 0, n + "[" + i + "] norm " + norm);
                    assertEquals(2 * want, sum[i], 0);
                }
            }
        }
    }

    @Test
    void taylorIsThetaTimesGradientAveragedOverBatches() {
        Graph g = TestNets.resnet(3);
        TestNets.randomize(g, 3);
        Tensor[] xs = {TestNets.randn(21, 4, 3, 6, 6), TestNets.randn(22, 4, 3, 6, 6)};
        int[][] ls = {TestNets.labels(23, 4, 5), TestNets.labels(24, 4, 5)};
        for (BatchNormStatistics stats : BatchNormStatistics.values()) {
            Criterion c = Criteria.create("taylor", CriterionOptions.builder().batchNorm(stats).build());
            Scores s = c.newScores(g);
            double[][] want = new double[g.parameters().size()][];
            for (int b = 0; b < 2; b++) {
                c.accumulate(g, xs[b], ls[b], s);
                try (Pass p = Pass.forward(g, xs[b], stats == BatchNormStatistics.BATCH ? Mode.BATCH_STATS : Mode.EVAL)) {
                    p.loss(new SoftmaxCrossEntropy(), ls[b]);
                    ParamVector grad = p.backward(false).parameters();
                    for (Parameter par : c.scoredParameters(g)) {
                        int i = g.parameterIndex(par);
                        Tensor th = par.value(), gr = grad.getOrZeros(i);
                        if (want[i] == null) want[i] = new double[th.size()];
                        for (int k = 0; k < th.size(); k++) want[i][k] += (double) th.at(k) * gr.at(k);
                    }
                }
            }
            assertEquals(2, s.batches());
            for (Parameter par : c.scoredParameters(g)) {
                double[] m = s.mean(par.name());
                double[] w = want[g.parameterIndex(par)];
                for (int k = 0; k < m.length; k++) assertEquals(w[k] / 2, m[k], 1e-12 * Math.abs(w[k]) + 1e-15, par.name() + "[" + k + "]");
            }
        }
    }
}
