package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.apoptosis.importance.CriterionOptions;
import dev.apoptosis.importance.Scores;
import dev.apoptosis.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With batch-statistics BatchNorm, OBA scores the group {last conv's outputs, its BatchNorm, the
 * classifier's inputs} at BatchNorm's ε level: the group is flagged, and the DROP remedy keeps the
 * selector off it, where the reference behaviour would rank its max-normalised noise with real scores.
 */
class NoiseLevelGroupsTest {
    private static Graph cnn() {
        GraphBuilder b = new GraphBuilder("bncnn", 3);
        Node x = b.input("input", 3, 6, 6);
        x = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), b.add("conv1", Conv2d.of(8, 3, 1, 1, false), x)));
        x = b.add("relu2", new ReLU(), b.add("bn2", new BatchNorm2d(), b.add("conv2", Conv2d.of(8, 3, 1, 1, false), x)));
        return b.build(b.add("fc", Linear.of(4), b.add("gap", new GlobalAvgPool(), x)));
    }

    private static List<ChannelScores.GroupScores> scores(Graph g, BatchNormStatistics bn, ChannelScores.NoiseRemedy remedy) {
        Random rng = new Random(1);
        var crit = Criteria.create("oba", CriterionOptions.builder().batchNorm(bn).build());
        Scores s = crit.newScores(g);
        for (int i = 0; i < 2; i++) {
            int[] labels = new int[16];
            for (int k = 0; k < labels.length; k++) labels[k] = rng.nextInt(4);
            crit.accumulate(g, Tensor.randn(rng, 1f, 16, 3, 6, 6), labels, s);
        }
        return ChannelScores.of(DependencyGroups.of(g), s, ChannelScores.Reduction.MEAN, ChannelScores.Normalizer.MAX, remedy);
    }

    private static ChannelScores.GroupScores last(List<ChannelScores.GroupScores> gs) {
        for (var x : gs) if (x.group().name().startsWith("conv2.weight")) return x;
        throw new AssertionError("no conv2 group");
    }

    @Test
    void batchStatisticsPutTheClassifierGroupAtTheNoiseFloor() {
        Graph g = cnn();
        var ref = scores(g, BatchNormStatistics.BATCH, ChannelScores.NoiseRemedy.REFERENCE);
        assertTrue(last(ref).noiseLevel(), "conv2/bn2/fc group scored at BatchNorm's epsilon level");
        assertTrue(last(ref).rawMax() < 1e-4, "raw " + last(ref).rawMax());
        assertTrue(last(ref).normalized()[0] > 0.01 || last(ref).rawMax() == 0, "max normalisation lifts noise to ordinary scores");
        var first = ref.get(0);
        assertFalse(first.noiseLevel(), "conv1's group has real in-channel scores from conv2");
        // The remedy keeps the selector off the noise-level group.
        var drop = scores(g, BatchNormStatistics.BATCH, ChannelScores.NoiseRemedy.DROP);
        DependencyGroups groups = DependencyGroups.of(g);
        Selector.Selection s = Selector.select(groups, drop, 0, Map.of(), Selector.Settings.defaults());
        for (Group grp : s.removals().keySet()) assertFalse(grp.name().startsWith("conv2"), "pruned the noise-level group");
        Selector.Selection r = Selector.select(groups, ref, 0, Map.of(), new Selector.Settings(false, 0.95, 1, false,
                ChannelScores.NoiseRemedy.REFERENCE));
        assertEquals(2, r.removals().size(), "the reference behaviour prunes both groups");
        // With running statistics the same group has real scores.
        assertFalse(last(scores(g, BatchNormStatistics.RUNNING, ChannelScores.NoiseRemedy.REFERENCE)).noiseLevel());
    }
}
