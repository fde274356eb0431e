package dev.apoptosis.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses which channels to remove in one pruning step (OBA notes §5.3): candidates are ranked by
 * their normalised group score (global ranking) or by the fraction of its group's initial channels
 * each removal reaches (local: every group loses the same fraction), and the smallest number of
 * lowest-ranked candidates whose removal brings the model's MACs to the step's target is removed,
 * so the target is met within one channel's MACs instead of overshot. A group never goes below
 * (1 − maxRatio) of its initial channels nor below one channel; with roundTo R its kept count is a
 * multiple of R. Whole blocks (attention heads, conv groups) are candidates only when asked for, and
 * then replace the head-width groups. With the DROP noise remedy, a group scored only at the noise
 * floor is left alone this step. Ties break by group order and channel index: deterministic.
 */
public final class Selector {
    /** Settings of the selection. */
    public record Settings(boolean local, double maxRatio, int roundTo, boolean heads, ChannelScores.NoiseRemedy noise) {
        public Settings {
            if (!(maxRatio > 0 && maxRatio < 1)) throw new IllegalArgumentException("max ratio must be in (0, 1), got " + maxRatio);
            if (roundTo < 1) throw new IllegalArgumentException("round-to must be >= 1, got " + roundTo);
        }

        public Settings(boolean local, double maxRatio, int roundTo, boolean heads) {
            this(local, maxRatio, roundTo, heads, ChannelScores.NoiseRemedy.DROP);
        }

        public static Settings defaults() {
            return new Settings(false, 0.95, 1, false, ChannelScores.NoiseRemedy.DROP);
        }
    }

    private record Candidate(Group group, int channel, double key, int rank) {}

    /** What a step removes and the cost it lands on. */
    public record Selection(Map<Group, int[]> removals, ModelCost cost, boolean reached) {}

    private Selector() {}

    /**
     * @param initialChannels each group's channel count before the first step, by group name (absent: its current count)
     */
    public static Selection select(DependencyGroups groups, List<ChannelScores.GroupScores> scores, long targetMacs,
                                   Map<String, Integer> initialChannels, Settings s) {
        CostModel cost = new CostModel(groups.analysis());
        List<Candidate> cands = new ArrayList<>();
        Map<Group, int[]> order = new LinkedHashMap<>();
        for (ChannelScores.GroupScores gs : scores) {
            Group g = gs.group();
            if (!g.prunable()) continue;
            if (gs.noiseLevel() && s.noise() == ChannelScores.NoiseRemedy.DROP) continue;
            boolean blocks = g.kind() == Group.Kind.BLOCKS;
            if (blocks != s.heads() && (blocks || g.kind() == Group.Kind.STRIDED)) continue;
            int c = g.channels();
            int initial = initialChannels.getOrDefault(g.name(), c);
            int minKeep = Math.max(1, (int) Math.ceil(initial * (1 - s.maxRatio()) - 1e-9));
            minKeep = Math.max(minKeep, s.roundTo());
            int removable = c - minKeep;
            if (removable <= 0) continue;
            double[] v = gs.normalized();
            Integer[] idx = new Integer[c];
            for (int i = 0; i < c; i++) idx[i] = i;
            Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> v[i]).thenComparingInt(i -> i));
            int[] sorted = new int[c];
            for (int i = 0; i < c; i++) sorted[i] = idx[i];
            order.put(g, sorted);
            for (int r = 0; r < removable; r++) {
                double key = s.local() ? (double) (initial - c + r + 1) / initial : v[sorted[r]];
                cands.add(new Candidate(g, sorted[r], key, r));
            }
        }
        cands.sort(Comparator.comparingDouble(Candidate::key).thenComparingInt(c -> c.group().id()).thenComparingInt(Candidate::rank));
        int lo = 0, hi = cands.size();
        if (cost.cost(counts(cands, hi, s.roundTo())).macs() > targetMacs) {
            Map<Group, Integer> all = counts(cands, hi, s.roundTo());
            return new Selection(removals(all, order), cost.cost(all), false);
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cost.cost(counts(cands, mid, s.roundTo())).macs() <= targetMacs) hi = mid;
            else lo = mid + 1;
        }
        Map<Group, Integer> chosen = counts(cands, lo, s.roundTo());
        return new Selection(removals(chosen, order), cost.cost(chosen), true);
    }

    /** Channels removed per group when the first n candidates go, rounded so kept counts are multiples of roundTo. */
    private static Map<Group, Integer> counts(List<Candidate> cands, int n, int roundTo) {
        Map<Group, Integer> m = new HashMap<>();
        for (int i = 0; i < n; i++) m.merge(cands.get(i).group(), 1, Integer::sum);
        if (roundTo > 1) {
            m.replaceAll((g, r) -> {
                int kept = g.channels() - r;
                int rounded = Math.max(roundTo, kept / roundTo * roundTo);
                return g.channels() - Math.min(g.channels(), Math.max(rounded, 1));
            });
        }
        m.values().removeIf(r -> r <= 0);
        return m;
    }

    private static Map<Group, int[]> removals(Map<Group, Integer> counts, Map<Group, int[]> order) {
        Map<Group, int[]> out = new LinkedHashMap<>();
        counts.forEach((g, r) -> out.put(g, Arrays.copyOf(order.get(g), r)));
        return out;
    }
}
