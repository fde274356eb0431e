package dev.apoptosis.prune;

import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.Scores;
import dev.apoptosis.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Prunes a model step by step to a target, re-estimating importance on fresh calibration batches at
 * every step (OBA notes §5.3, §5.4, §8.4):
 * <ul>
 * <li><b>structured</b>: step k of K aims at base·target^(k/K) MACs; the {@link Selector} removes the
 *     fewest lowest-scored channels that reach it; {@link Surgery} makes the model smaller;</li>
 * <li><b>unstructured</b>: step k keeps keep^(k/K) of the Conv/Linear weights and biases: score
 *     |mean score| / (layer max + 1e-6) + |w|, the top entries kept globally (exactly that many),
 *     masks applied, entries already masked never come back.</li>
 * </ul>
 * The model given is not changed; {@link #run} returns the pruned graph. Calibration batches of step
 * k are the first batches of epoch k of a shuffled training loader seeded by {@code seed}, so a run
 * resumed at step k sees what it would have seen; their scores are summed in the block order of
 * {@link Calibration}, here or on a cluster ({@link Builder#estimation}).
 *
 * <pre>
 *   Pruner.Result r = Pruner.builder(graph, Criteria.create("oba"), data).targetMacs(0.5).steps(10)
 *           .calibrationBatches(20).build().run();
 * </pre>
 */
public final class Pruner {
    /** Told after every step (progress, checkpoints). */
    public interface Listener {
        void afterStep(StepRecord record, Graph model, int steps);
    }

    /** The pruned model and its per-step history. */
    public record Result(Graph graph, List<StepRecord> steps, ModelCost before, ModelCost after) {}

    private final Graph start;
    private final Criterion criterion;
    private final DataSplits data;
    private final double target;
    private final boolean unstructured;
    private final int steps, firstStep, lastStep, calibBatches, batchSize;
    private final long seed, baseMacs;
    private final long baseParams;
    private final Selector.Settings selection;
    private final ChannelScores.Reduction reduction;
    private final ChannelScores.Normalizer normalizer;
    private final Map<String, Integer> initialChannels;
    private final Listener listener;
    private final Estimation estimation;

    private Pruner(Builder b) {
        this.start = b.graph;
        this.criterion = b.criterion;
        this.data = b.data;
        this.target = b.target;
        this.unstructured = b.unstructured;
        this.steps = b.steps;
        this.firstStep = b.firstStep;
        this.lastStep = b.lastStep > 0 ? b.lastStep : b.steps;
        this.calibBatches = b.calibBatches;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.selection = b.selection;
        this.reduction = b.reduction;
        this.normalizer = b.normalizer;
        this.listener = b.listener;
        this.estimation = b.estimation != null ? b.estimation : new LocalEstimation(data);
        this.baseMacs = b.baseMacs > 0 ? b.baseMacs : start.macs();
        this.baseParams = b.baseParams > 0 ? b.baseParams : ModelCost.of(start).keptParams();
        this.initialChannels = b.initialChannels != null ? b.initialChannels : initialChannels(start);
    }

    /** Each group's channel count by group name: what the max-ratio rule refers to. */
    public static Map<String, Integer> initialChannels(Graph g) {
        Map<String, Integer> m = new HashMap<>();
        for (Group grp : DependencyGroups.of(g).groups()) m.put(grp.name(), grp.channels());
        return m;
    }

    public static Builder builder(Graph graph, Criterion criterion, DataSplits data) {
        return new Builder(graph, criterion, data);
    }

    public Result run() {
        ModelCost before = ModelCost.of(start);
        Graph g = copy(start);
        List<StepRecord> history = new ArrayList<>();
        for (int k = firstStep; k <= lastStep; k++) {
            Step s = unstructured ? unstructuredStep(g, k) : structuredStep(g, k);
            g = s.graph();
            StepRecord r = s.record();
            history.add(r);
            if (listener != null) listener.afterStep(r, g, steps);
        }
        return new Result(g, history, before, ModelCost.of(g));
    }

    /** What one step leaves: the model (smaller after surgery; the same graph, masked, when unstructured) and its record. */
    private record Step(Graph graph, StepRecord record) {}

    private Step structuredStep(Graph g, int k) {
        long targetMacs = (long) Math.floor(baseMacs * Math.pow(target, (double) k / steps));
        if (k == steps) targetMacs = (long) Math.floor(baseMacs * target);
        if (g.macs() <= targetMacs) {
            ModelCost c = ModelCost.of(g);
            return new Step(g, new StepRecord(k, targetMacs, c.macs(), c.params(), c.keptParams(), 0, 0, 0, 0, 0, List.of()));
        }
        long t0 = System.nanoTime();
        Scores scores = estimate(g, k);
        long t1 = System.nanoTime();
        DependencyGroups groups = DependencyGroups.of(g);
        List<ChannelScores.GroupScores> gs = ChannelScores.of(groups, scores, reduction, normalizer, selection.noise());
        int noise = 0;
        for (ChannelScores.GroupScores x : gs) if (x.noiseLevel()) noise++;
        Selector.Selection sel = Selector.select(groups, gs, targetMacs, initialChannels, selection);
        long t2 = System.nanoTime();
        int removed = 0;
        for (int[] r : sel.removals().values()) removed += r.length;
        Graph next = g;
        List<PruneRecord.Removal> what = List.of();
        if (removed > 0) {
            Surgery.Result sr = Surgery.remove(groups, sel.removals());
            next = sr.graph();
            what = sr.record().removals();
        }
        long t3 = System.nanoTime();
        ModelCost c = ModelCost.of(next);
        return new Step(next, new StepRecord(k, targetMacs, c.macs(), c.params(), c.keptParams(), removed, noise, (t1 - t0) / 1e9,
                (t2 - t1) / 1e9, (t3 - t2) / 1e9, what));
    }

    private Step unstructuredStep(Graph g, int k) {
        long t0 = System.nanoTime();
        Scores scores = estimate(g, k);
        long t1 = System.nanoTime();
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : g.parameters()) if (p.node().op().has(OpProperty.PARAMETER_LAYER)) ps.add(p);
        long total = 0;
        for (Parameter p : ps) total += p.size();
        long keep = (long) Math.floor(Math.pow(target, (double) k / steps) * total);
        // Scores of every entry, masked entries below everything so they stay out.
        double[] all = new double[Math.toIntExact(total)];
        int at = 0;
        for (Parameter p : ps) {
            double[] mean = scores.names().contains(p.name()) ? scores.mean(p.name()) : new double[p.size()];
            double max = 0;
            for (double v : mean) max = Math.max(max, Math.abs(v));
            Tensor mask = p.mask();
            for (int i = 0; i < p.size(); i++) {
                boolean masked = mask != null && mask.at(i) == 0f;
                all[at++] = masked ? Double.NEGATIVE_INFINITY : Math.abs(mean[i]) / (max + 1e-6) + Math.abs(p.value().at(i));
            }
        }
        // The exact number kept: the keep highest scores, ties broken by position.
        boolean[] kept = keepTop(all, keep);
        at = 0;
        int removed = 0;
        for (Parameter p : ps) {
            Tensor m = Tensor.zeros(p.value().shape());
            for (int i = 0; i < p.size(); i++) {
                boolean k2 = kept[at++];
                m.setAt(i, k2 ? 1f : 0f);
                if (!k2 && (p.mask() == null || p.mask().at(i) != 0f)) removed++;
            }
            p.setMask(m);
        }
        long t2 = System.nanoTime();
        ModelCost c = ModelCost.of(g);
        return new Step(g, new StepRecord(k, c.macs(), c.macs(), c.params(), c.keptParams(), removed, 0, (t1 - t0) / 1e9,
                (t2 - t1) / 1e9, 0, List.of()));
    }

    /**
     * The {@code keep} highest scores, ties broken by position (earlier first), never a -∞ one: the
     * threshold is the keep-th largest value of a sorted primitive copy, then one pass keeps
     * everything above it and the first entries equal to it. No boxing: this runs over every weight
     * of the model (20 M for VGG-19).
     */
    static boolean[] keepTop(double[] scores, long keep) {
        boolean[] kept = new boolean[scores.length];
        if (keep <= 0) return kept;
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double tau = sorted[sorted.length - (int) Math.min(keep, sorted.length)];
        long above = 0;
        for (double v : scores) if (v > tau) above++;
        long ties = keep - above;
        for (int i = 0; i < scores.length; i++) {
            boolean k = scores[i] > tau || (scores[i] == tau && ties-- > 0);
            kept[i] = k && scores[i] != Double.NEGATIVE_INFINITY;
        }
        return kept;
    }

    private Scores estimate(Graph g, int step) {
        return estimation.estimate(g, criterion, new Calibration(step, calibBatches, batchSize, seed));
    }

    static Graph copy(Graph g) {
        Map<String, Tensor> values = new HashMap<>();
        g.state().forEach((k, v) -> values.put(k, v.copy()));
        Graph c = g.rebuild(Map.of(), values);
        c.applyMasks(g.masks());
        return c;
    }

    /** Settings of a pruning run; defaults from the OBA notes §8.4 where they apply. */
    public static final class Builder {
        private final Graph graph;
        private final Criterion criterion;
        private final DataSplits data;
        private double target = 0.5;
        private boolean unstructured;
        private int steps = 50, firstStep = 1, lastStep, calibBatches = 200, batchSize = 64;
        private long seed, baseMacs, baseParams;
        private Selector.Settings selection = Selector.Settings.defaults();
        private ChannelScores.Reduction reduction = ChannelScores.Reduction.MEAN;
        private ChannelScores.Normalizer normalizer = ChannelScores.Normalizer.MAX;
        private Map<String, Integer> initialChannels;
        private Listener listener;
        private Estimation estimation;

        private Builder(Graph graph, Criterion criterion, DataSplits data) {
            this.graph = Objects.requireNonNull(graph, "graph");
            this.criterion = Objects.requireNonNull(criterion, "criterion");
            this.data = data;
        }

        /** Structured: the fraction of the model's MACs to keep, in (0, 1]. */
        public Builder targetMacs(double f) {
            if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("target MACs must be in (0, 1], got " + f);
            this.target = f;
            this.unstructured = false;
            return this;
        }

        /** Unstructured: the fraction of Conv/Linear weights to keep, in (0, 1]. */
        public Builder keepWeights(double f) {
            if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("kept fraction must be in (0, 1], got " + f);
            this.target = f;
            this.unstructured = true;
            return this;
        }

        public Builder steps(int k) {
            if (k < 1) throw new IllegalArgumentException("steps must be >= 1, got " + k);
            this.steps = k;
            return this;
        }

        /** Resume: start at step k (1-based), with the base cost and initial channels of the original model. */
        public Builder resumeAt(int k, long baseMacs, long baseParams, Map<String, Integer> initialChannels) {
            this.firstStep = k;
            this.baseMacs = baseMacs;
            this.baseParams = baseParams;
            this.initialChannels = initialChannels;
            return this;
        }

        /** Stop after step k (k <= steps) so that a later run resumes at k + 1. */
        public Builder lastStep(int k) {
            this.lastStep = k;
            return this;
        }

        public Builder calibrationBatches(int n) {
            if (n < 1) throw new IllegalArgumentException("calibration batches must be >= 1, got " + n);
            this.calibBatches = n;
            return this;
        }

        public Builder batchSize(int n) {
            if (n < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + n);
            this.batchSize = n;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder selection(Selector.Settings s) {
            this.selection = Objects.requireNonNull(s);
            return this;
        }

        public Builder reduction(ChannelScores.Reduction r) {
            this.reduction = Objects.requireNonNull(r);
            return this;
        }

        public Builder normalizer(ChannelScores.Normalizer n) {
            this.normalizer = Objects.requireNonNull(n);
            return this;
        }

        public Builder listener(Listener l) {
            this.listener = l;
            return this;
        }

        /** Where importance is computed (default: {@link LocalEstimation} on the builder's data). */
        public Builder estimation(Estimation e) {
            this.estimation = Objects.requireNonNull(e);
            return this;
        }

        public Pruner build() {
            if (criterion.needsData() && data == null) throw new IllegalArgumentException("criterion " + criterion.name() + " needs calibration data");
            if (firstStep < 1 || firstStep > steps + 1) throw new IllegalArgumentException("cannot resume at step " + firstStep + " of " + steps);
            return new Pruner(this);
        }
    }
}
