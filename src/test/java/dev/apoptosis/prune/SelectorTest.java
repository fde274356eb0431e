package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Selection against its rules: the MAC target within one channel, the max ratio, rounding, ties; the cost model against surgery. */
class SelectorTest {
    private static Graph resnet() {
        return ModelZoo.build("resnet20", ModelOptions.defaults().withClasses(10).withInput(3, 8, 8).withSeed(4));
    }

    /** Scores: channel r of every group scores r + 1 (ties across groups), so selection order is known. */
    private static List<ChannelScores.GroupScores> ranked(DependencyGroups gs) {
        List<ChannelScores.GroupScores> out = new ArrayList<>();
        for (Group g : gs.prunable()) {
            double[] v = new double[g.channels()];
            for (int r = 0; r < v.length; r++) v[r] = (r + 1.0) / v.length;
            out.add(new ChannelScores.GroupScores(g, v, v, 1));
        }
        return out;
    }

    @Test
    void costModelEqualsTheGraphSurgeryBuilds() {
        Graph g = resnet();
        DependencyGroups gs = DependencyGroups.of(g);
        Random rng = new Random(2);
        Map<Group, int[]> removals = new HashMap<>();
        Map<Group, Integer> counts = new HashMap<>();
        for (Group grp : gs.prunable()) {
            int n = rng.nextInt(grp.channels() - 1);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            removals.put(grp, idx);
            counts.put(grp, n);
        }
        ModelCost predicted = new CostModel(gs.analysis()).cost(counts);
        Graph smaller = Surgery.remove(gs, removals).graph();
        assertEquals(smaller.macs(), predicted.macs());
        assertEquals(smaller.numParameters(), predicted.params());
    }

    @Test
    void meetsTheMacTargetWithinOneChannel() {
        Graph g = resnet();
        DependencyGroups gs = DependencyGroups.of(g);
        long target = g.macs() / 2;
        Selector.Selection s = Selector.select(gs, ranked(gs), target, Map.of(), Selector.Settings.defaults());
        assertTrue(s.reached());
        Graph smaller = Surgery.remove(gs, s.removals()).graph();
        assertEquals(s.cost().macs(), smaller.macs());
        assertTrue(smaller.macs() <= target);
        // Putting back the last channel removed (the highest-ranked one) misses the target.
        Map<Group, Integer> fewer = new HashMap<>();
        Group last = null;
        double worst = -1;
        for (var e : s.removals().entrySet()) {
            fewer.put(e.getKey(), e.getValue().length);
            double key = (e.getValue()[e.getValue().length - 1] + 1.0) / e.getKey().channels();
            if (key >= worst) {
                worst = key;
                last = e.getKey();
            }
        }
        fewer.merge(last, -1, Integer::sum);
        assertTrue(new CostModel(gs.analysis()).cost(fewer).macs() > target, "one channel fewer would not meet the target");
    }

    @Test
    void maxRatioAndRoundingHold() {
        Graph g = resnet();
        DependencyGroups gs = DependencyGroups.of(g);
        Selector.Selection s = Selector.select(gs, ranked(gs), 0, Map.of(), new Selector.Settings(false, 0.5, 4, false));
        assertTrue(!s.reached(), "a target of 0 MACs cannot be reached under a max ratio");
        for (var e : s.removals().entrySet()) {
            int kept = e.getKey().channels() - e.getValue().length;
            assertTrue(kept >= e.getKey().channels() / 2, e.getKey() + " kept " + kept);
            assertEquals(0, kept % 4, e.getKey() + " kept " + kept);
        }
        Selector.Selection again = Selector.select(gs, ranked(gs), g.macs() / 2, Map.of(), Selector.Settings.defaults());
        Selector.Selection same = Selector.select(gs, ranked(gs), g.macs() / 2, Map.of(), Selector.Settings.defaults());
        assertEquals(again.cost(), same.cost(), "ties break the same way every time");
    }
}
