package dev.apoptosis.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.importance.BatchNormStatistics;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.CriterionOptions;
import dev.apoptosis.importance.Scores;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The importance example of docs/engine.md, kept compiling and correct. */
class ImportanceUsageTest {
    @Test
    void obaScoresOverCalibrationBatchesMergeAcrossWorkers() {
        GraphBuilder b = new GraphBuilder("tiny-cnn", 42);
        Node x = b.input("image", 3, 16, 16);
        Node h = b.add("conv1", Conv2d.builder(8, 3).padding(1).bias(false).build(), x);
        h = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), h));
        Graph model = b.build(b.add("fc", Linear.of(10), b.add("pool", new GlobalAvgPool(), h)));
        Random r = new Random(0);
        Tensor[] images = new Tensor[4];
        int[][] labels = new int[4][];
        for (int k = 0; k < 4; k++) {
            images[k] = Tensor.randn(r, 1f, 16, 3, 16, 16);
            labels[k] = r.ints(16, 0, 10).toArray();
        }

        // --- docs/engine.md importance example begins ---
        Criterion oba = Criteria.create("oba", CriterionOptions.builder().batchNorm(BatchNormStatistics.BATCH).build());
        Scores mine = oba.newScores(model);                    // float64 sums + batch count per scored parameter
        Scores theirs = oba.newScores(model);                  // e.g. another worker's share of the batches
        for (int k = 0; k < 4; k++) oba.accumulate(model, images[k], labels[k], k < 2 ? mine : theirs);
        Scores all = mine.merge(theirs);                       // sums and counts add
        double[] conv1 = all.mean("conv1.weight");             // one score per entry, laid out like conv1.weight [8, 3, 3, 3]
        // --- docs/engine.md importance example ends ---

        assertEquals(4, all.batches());
        assertEquals(8 * 3 * 3 * 3, conv1.length);
        assertArrayEquals(new int[] {8, 3, 3, 3}, all.shape("conv1.weight"));
        assertEquals(java.util.List.of("conv1.weight", "fc.weight", "fc.bias"), java.util.List.copyOf(all.names()));
    }
}
