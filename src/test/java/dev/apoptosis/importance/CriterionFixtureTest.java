package dev.apoptosis.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code exact}, {@code oba} and {@code taylor} scores of one batch against PyTorch float64
 * ({@code tools/fixtures/importance_fixtures.py}): a BN-ResNet block (stride-2 block with a 1×1
 * shortcut) with BatchNorm on batch statistics and on running statistics, and a pre-norm attention
 * block (class token, position embedding, LayerNorm, two heads, GELU MLP). {@code exact} is
 * θ ⊙ (Hθ) by double backward with v = θ on every trainable parameter; {@code oba} is the clean OBA
 * built in PyTorch from its definition (upward, downward and parallel terms from frozen adjoints and
 * forward-mode tangents at the true activations), not from a Hessian, so it checks the engine's OBA
 * curvature mode independently. Each case also asserts that OBA and exact differ substantially, so a
 * criterion that computed the wrong one could not pass.
 */
class CriterionFixtureTest {
    private static final double RTOL = 2e-3;
    private static final double ATOL_OF_MAX = 2e-4;

    @Test
    void resnetBlockWithBatchStatistics() {
        Fixtures fx = Fixtures.load("importance/resnet_batchstats.txt");
        Graph g = TestNets.resnet(1);
        TestNets.load(g, fx);
        check(g, fx, BatchNormStatistics.BATCH);
    }

    @Test
    void resnetBlockWithRunningStatistics() {
        Fixtures fx = Fixtures.load("importance/resnet_eval.txt");
        Graph g = TestNets.resnet(1);
        TestNets.load(g, fx);
        check(g, fx, BatchNormStatistics.RUNNING);
    }

    @Test
    void attentionBlock() {
        Fixtures fx = Fixtures.load("importance/attention.txt");
        Graph g = TestNets.attention(fx);
        TestNets.load(g, fx);
        check(g, fx, BatchNormStatistics.BATCH);
    }

    private static void check(Graph g, Fixtures fx, BatchNormStatistics stats) {
        Tensor x = fx.tensor("in.x");
        int[] labels = TestNets.labels(fx);
        Map<String, double[]> exact = null, oba = null;
        for (String name : new String[] {"exact", "oba", "taylor"}) {
            Criterion c = Criteria.create(name, CriterionOptions.builder().batchNorm(stats).build());
            Scores s = c.newScores(g);
            c.accumulate(g, x, labels, s);
            assertEquals(1, s.batches());
            Map<String, double[]> expected = new LinkedHashMap<>();
            for (String p : s.names()) expected.put(p, fx.array(name + "." + p).values());
            assertEquals(expected.keySet(), s.names(), name + " scores the parameters the fixture scores");
            Map<String, double[]> actual = ScoreAsserts.means(s);
            ScoreAsserts.assertClose(name + " on " + g.name() + " (" + stats + ")", expected, actual, RTOL, ATOL_OF_MAX);
            if (name.equals("exact")) exact = expected;
            if (name.equals("oba")) oba = expected;
        }
        Map<String, double[]> exactOnObaParams = new LinkedHashMap<>();
        for (String p : oba.keySet()) exactOnObaParams.put(p, exact.get(p));
        double d = ScoreAsserts.relativeDifference(oba, exactOnObaParams);
        assertTrue(d > 0.05, "OBA and exact agree to " + d + " on " + g.name() + ": the comparison could not tell them apart");
    }
}
