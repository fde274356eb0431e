package dev.apoptosis.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Importance passes leave every parameter and buffer bit-identical (BatchNorm running statistics
 * included) for every criterion in both BatchNorm settings, on a CNN with BatchNorm, a conv bias,
 * max-pooling and Dropout; and a batch's score is a function of the batch: scoring it again, into
 * fresh Scores, gives bit-identical sums (Dropout and probes are seeded from the batch's contents).
 */
class ModelUnchangedTest {
    @Test
    void everyCriterionLeavesTheModelBitIdenticalAndIsRepeatable() {
        Graph g = TestNets.cnnWithDropout(9);
        TestNets.randomize(g, 9);
        Tensor x = TestNets.randn(41, 4, 3, 6, 6);
        int[] labels = TestNets.labels(42, 4, 3);
        Map<String, int[]> before = DerivativeCheck.snapshot(g);
        for (String name : Criteria.NAMES) {
            for (BatchNormStatistics stats : BatchNormStatistics.values()) {
                CriterionOptions.Builder o = CriterionOptions.builder();
                if (!name.equals("magnitude")) o.batchNorm(stats);
                if (name.equals("obd")) o.probes(2);
                Criterion c = Criteria.create(name, o.build());
                Scores a = c.newScores(g), b = c.newScores(g);
                c.accumulate(g, x, labels, a);
                DerivativeCheck.assertUnchanged(g, before, name + " with BatchNorm statistics " + stats);
                c.accumulate(g, x, labels, b);
                for (String p : a.names()) assertArrayEquals(a.sum(p), b.sum(p), 0, name + " " + stats + " twice on " + p);
            }
        }
    }
}
