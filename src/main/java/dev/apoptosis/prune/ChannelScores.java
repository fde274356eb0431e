package dev.apoptosis.prune;

import dev.apoptosis.importance.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-group channel scores from per-parameter importance (OBA notes §5.1–§5.2): for each member
 * layer of a group, the signed sum of the mean per-parameter scores over the entries of each root
 * channel (a layer's output channel: its filter and its bias together; an input channel: every
 * output's weights for that input), then |·| per member, reduced over the members (mean over the
 * members whose vector is not all zero, by default), then normalised per group (by its maximum
 * plus 1e-6, by default, as the reference does).
 *
 * <p>Because channel sums of batch means are means of per-batch channel sums, this needs only the
 * per-parameter float64 sums of {@link Scores}: nothing per batch is kept.
 */
public final class ChannelScores {
    /** How member vectors combine into the group's vector. */
    public enum Reduction { MEAN, SUM, MAX }

    /** How a group's vector is scaled before groups are ranked together. */
    public enum Normalizer { MAX, MEAN, SUM, NONE }

    /**
     * What to do with members whose scores sit at the numerical noise floor (with batch-statistics
     * BatchNorm, the output-channel sums of a conv followed by BatchNorm, and the whole group of the
     * last conv and the classifier's inputs, are of the order of BatchNorm's ε; max normalisation
     * then lifts them to ordinary-looking scores). REFERENCE keeps them as the released code does;
     * DROP leaves such members out of the group mean and does not prune a group made only of them.
     */
    public enum NoiseRemedy { REFERENCE, DROP }

    /**
     * A member vector whose largest |value| is below this fraction of the largest member's is
     * noise-level. On a small BN CNN with batch statistics, ε-level members measured 1e-7–4e-7
     * against 1e-3–5e-3 for real ones (NoiseLevelGroupsTest): a ratio of about 1e-4. A heuristic:
     * the defining property, scores that scale with BatchNorm's ε, would cost a second pass.
     */
    public static final double NOISE_RATIO = 1e-3;

    /** One group's scores: raw (after the reduction) and normalised; {@code noiseLevel} if every member is at the noise floor. */
    public record GroupScores(Group group, double[] raw, double[] normalized, int members, boolean noiseLevel) {
        public GroupScores(Group group, double[] raw, double[] normalized, int members) {
            this(group, raw, normalized, members, false);
        }

        public double rawMax() {
            double m = 0;
            for (double v : raw) m = Math.max(m, v);
            return m;
        }
    }

    private ChannelScores() {}

    public static List<GroupScores> of(DependencyGroups groups, Scores scores, Reduction reduction, Normalizer normalizer) {
        return of(groups, scores, reduction, normalizer, NoiseRemedy.REFERENCE);
    }

    public static List<GroupScores> of(DependencyGroups groups, Scores scores, Reduction reduction, Normalizer normalizer,
                                       NoiseRemedy remedy) {
        Map<Group, Map<String, double[]>> members = new LinkedHashMap<>();
        List<Double> maxima = new ArrayList<>();
        for (Group g : groups.groups()) {
            if (!g.prunable()) continue;
            Map<String, double[]> m = memberVectors(g, scores);
            members.put(g, m);
            for (double[] v : m.values()) {
                double mx = 0;
                for (double x : v) mx = Math.max(mx, Math.abs(x));
                if (mx > 0) maxima.add(mx);
            }
        }
        double floor = 0;
        for (double m : maxima) floor = Math.max(floor, NOISE_RATIO * m);
        List<GroupScores> out = new ArrayList<>();
        for (var e : members.entrySet()) out.add(reduce(e.getKey(), e.getValue(), reduction, normalizer, remedy, floor));
        return out;
    }

    private static Map<String, double[]> memberVectors(Group g, Scores scores) {
        int c = g.channels();
        // Member layers: a node's output side (weight rows with the bias) or its input side (weight columns).
        Map<String, double[]> layers = new LinkedHashMap<>();
        for (Member m : g.members()) {
            String full = m.node() + "." + m.tensor();
            if (!scores.names().contains(full)) continue;
            double[] mean = scores.mean(full);
            int[] shape = scores.shape(full);
            int[] channel = g.channelOf(m);
            int inner = 1;
            for (int a = m.axis() + 1; a < shape.length; a++) inner *= shape[a];
            int along = shape[m.axis()];
            String key = m.node() + (m.axis() == 0 ? ":out" : ":in" + m.axis());
            double[] v = layers.computeIfAbsent(key, k -> new double[c]);
            for (int i = 0; i < mean.length; i++) {
                int r = channel[(i / inner) % along];
                if (r >= 0) v[r] += mean[i];
            }
        }
        return layers;
    }

    private static GroupScores reduce(Group g, Map<String, double[]> layers, Reduction reduction, Normalizer normalizer,
                                      NoiseRemedy remedy, double floor) {
        int c = g.channels();
        double[] raw = new double[c];
        int counted = 0;
        boolean allNoise = true;
        for (double[] v : layers.values()) {
            double mx = 0;
            for (double x : v) mx = Math.max(mx, Math.abs(x));
            boolean noise = mx <= floor;
            allNoise &= noise;
            if (noise && remedy == NoiseRemedy.DROP) continue;
            boolean nonzero = false;
            for (int r = 0; r < c; r++) {
                double a = Math.abs(v[r]);
                nonzero |= a != 0;
                raw[r] = switch (reduction) {
                    case MEAN, SUM -> raw[r] + a;
                    case MAX -> Math.max(raw[r], a);
                };
            }
            if (nonzero) counted++;
        }
        if (reduction == Reduction.MEAN && counted > 0) for (int r = 0; r < c; r++) raw[r] /= counted;
        double[] norm = raw.clone();
        double scale = switch (normalizer) {
            case MAX -> max(raw) + 1e-6;
            case MEAN -> sum(raw) / c + 1e-6;
            case SUM -> sum(raw) + 1e-6;
            case NONE -> 1;
        };
        for (int r = 0; r < c; r++) norm[r] /= scale;
        return new GroupScores(g, raw, norm, counted, allNoise && !layers.isEmpty());
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }
}
