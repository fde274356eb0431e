package dev.apoptosis.bench;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.autodiff.PassProfiler;
import dev.apoptosis.tensor.Parallel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a step's time goes: per op kind and phase (forward, backward, tangent, rBackward), and outside
 * the op rules (the engine's adjoint sums, the loss, the optimiser update, ...).
 *
 * <p>The steps are those of {@link TrainBench} ({@link Step#TRAIN}: TRAIN forward, softmax
 * cross-entropy, backward, SGD) and of {@link AutodiffBench}'s curvature pass ({@link Step#HVP}:
 * BATCH_STATS forward, loss, EXACT H·v along OBA's direction, no gradient) and of {@link InferenceBench}
 * ({@link Step#INFER}: an EVAL forward keeping nothing for a backward pass), on the same fixed random
 * batch, with a {@link PassProfiler} attached. Each timed step is split into rows that add up to its
 * wall time exactly ({@link StepRecorder}); a row's reported time is its median over the timed steps,
 * so the medians of the rows need not add up to the median step exactly.
 *
 * <p>{@link #compare} runs the same steps at 1 thread and at N threads alternately, step by step, so that
 * load from other processes hits both alike, and returns one profile per thread count.
 */
public final class ProfileBench {
    private ProfileBench() {}

    /** Which step is profiled. */
    public enum Step {
        TRAIN, HVP, INFER
    }

    /** A row's identity: op kind and phase, or {@link #OUTSIDE_RULES} and a segment of the step. */
    public record RowKey(String kind, String phase) {}

    /** The kind column of rows holding a segment's time outside op rules. */
    public static final String OUTSIDE_RULES = StepRecorder.OUTSIDE;

    /**
     * One timed step: wall, CPU and kernel-worker CPU nanoseconds, and per row
     * {wall ns, CPU ns, rule calls, worker CPU ns}.
     */
    public record Sample(long stepNanos, long stepCpuNanos, long stepWorkerCpuNanos, Map<RowKey, long[]> rows) {}

    /**
     * One row of a profile: medians over the timed steps of its wall, CPU and kernel-worker CPU
     * milliseconds per step, and how many rules it counts per step ({@code nodes}; 0 for a segment row).
     * CPU is that of the pass's thread plus the kernel workers; at N threads a perfectly split row has
     * a worker share {@code workerCpuMs / cpuMs} of (N-1)/N.
     */
    public record Row(RowKey key, int nodes, double ms, double cpuMs, double workerCpuMs) {}

    /**
     * A profile: the median step (wall and kernel-thread CPU ms), the rows (rule rows by phase, then by
     * time; then segment rows in step order) and every timed step's sample.
     */
    public record Profile(String model, int batch, Step step, int threads, double stepMs, double stepCpuMs,
                          double stepWorkerCpuMs, boolean cpuAvailable, List<Row> rows, List<Sample> samples) {
        /** Sum of the rows' medians (close to, not always equal to, the median step). */
        public double rowSumMs() {
            return rows.stream().mapToDouble(Row::ms).sum();
        }

        public Row row(String kind, String phase) {
            for (Row r : rows) if (r.key.kind().equals(kind) && r.key.phase().equals(phase)) return r;
            return null;
        }
    }

    /** Profiles {@code reps} steps after {@code warmup} unrecorded ones, at the current thread count. */
    public static Profile run(String model, int batch, Step step, int warmup, int reps) {
        return run(model, batch, step, warmup, reps, false);
    }

    /** As {@link #run(String, int, Step, int, int)}, with one row per node and phase when {@code byNode}. */
    public static Profile run(String model, int batch, Step step, int warmup, int reps, boolean byNode) {
        Runner r = new Runner(model, batch, step, byNode);
        for (int i = 0; i < warmup; i++) r.once();
        r.prepareThreads();
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < reps; i++) s.add(r.once());
        return summarise(RandomCifarStep.label(model), batch, step, Parallel.threads(), r.clock.available(), s);
    }

    /**
     * Profiles at 1 thread and at {@code threads} alternately (each timed step at 1 thread is followed by
     * one at {@code threads}); returns the two profiles, 1 thread first. The thread count is restored.
     */
    public static List<Profile> compare(String model, int batch, Step step, int warmup, int reps, int threads) {
        return compare(model, batch, step, warmup, reps, threads, false);
    }

    /** As {@link #compare(String, int, Step, int, int, int)}, with one row per node and phase when {@code byNode}. */
    public static List<Profile> compare(String model, int batch, Step step, int warmup, int reps, int threads,
                                        boolean byNode) {
        if (threads < 2) throw new IllegalArgumentException("--compare-threads needs --threads >= 2, got " + threads);
        int before = Parallel.threads();
        try {
            Runner r = new Runner(model, batch, step, byNode);
            int[] counts = {1, threads};
            List<List<Sample>> s = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < warmup + reps; i++) {
                for (int t = 0; t < 2; t++) {
                    Parallel.setThreads(counts[t]);
                    r.prepareThreads();
                    Sample x = r.once();
                    if (i >= warmup) s.get(t).add(x);
                }
            }
            return List.of(summarise(RandomCifarStep.label(model), batch, step, 1, r.clock.available(), s.get(0)),
                    summarise(RandomCifarStep.label(model), batch, step, threads, r.clock.available(), s.get(1)));
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** The profile's name in text and JSON output, e.g. {@code profile/train/resnet20/batch128}. */
    public static String name(Profile p) {
        return "profile/" + p.step().name().toLowerCase() + "/" + p.model() + "/batch" + p.batch();
    }

    static String phaseName(PassProfiler.Phase p) {
        return switch (p) {
            case FORWARD -> "forward";
            case BACKWARD -> "backward";
            case TANGENT -> "tangent";
            case R_BACKWARD -> "rBackward";
        };
    }

    private static final List<String> PHASE_ORDER = List.of("forward", "tangent", "backward", "rBackward");

    /** Runs one step of the chosen kind, recording it. */
    private static final class Runner {
        final RandomCifarStep s;
        final Step step;
        final KernelCpuClock clock = new KernelCpuClock();
        final StepRecorder rec;

        Runner(String model, int batch, Step step, boolean byNode) {
            this.s = new RandomCifarStep(model, batch);
            this.step = step;
            this.rec = new StepRecorder(clock, byNode);
        }

        /** Creates every kernel worker now (the pool is built lazily) so the CPU clock can see them. */
        void prepareThreads() {
            Parallel.forRange(Parallel.threads(), 1, (lo, hi) -> { });
            clock.refreshWorkers();
        }

        /** The same calls as RandomCifarStep.trainStep / curvatureStep, with a mark after each. */
        Sample once() {
            rec.start();
            if (step == Step.TRAIN) {
                Pass p = Pass.forward(s.graph, s.input, Mode.TRAIN, 0L, true, rec);
                rec.mark("forward");
                p.loss(s.loss, s.labels);
                rec.mark("loss");
                ParamVector g = p.backward(false).parameters();
                rec.mark("backward");
                s.update(g);
                rec.mark("sgd update");
                p.close();
                rec.mark("close");
            } else if (step == Step.INFER) {
                Pass p = Pass.forward(s.graph, s.input, Mode.EVAL, 0L, false, rec);
                rec.mark("forward");
                p.close();
                rec.mark("close");
            } else {
                Pass p = Pass.forward(s.graph, s.input, Mode.BATCH_STATS, 0L, true, rec);
                rec.mark("forward");
                p.loss(s.loss, s.labels);
                rec.mark("loss");
                ParamVector v = ParamVector.obaDirection(s.graph);
                rec.mark("direction");
                p.curvatureProduct(v, Curvature.EXACT, false);
                rec.mark("curvature product");
                p.close();
                rec.mark("close");
            }
            return rec.sample();
        }
    }

    static Profile summarise(String model, int batch, Step step, int threads, boolean cpu, List<Sample> samples) {
        Set<RowKey> keys = new LinkedHashSet<>();
        for (Sample x : samples) keys.addAll(x.rows().keySet());
        List<Row> rules = new ArrayList<>();
        List<Row> outside = new ArrayList<>();
        for (RowKey k : keys) {
            double[] ms = new double[samples.size()];
            double[] cpuMs = new double[samples.size()];
            double[] workerMs = new double[samples.size()];
            int nodes = 0;
            for (int i = 0; i < ms.length; i++) {
                long[] a = samples.get(i).rows().getOrDefault(k, new long[4]);
                ms[i] = a[0] / 1e6;
                cpuMs[i] = a[1] / 1e6;
                nodes = (int) a[2];
                workerMs[i] = a[3] / 1e6;
            }
            boolean isOutside = k.kind().equals(OUTSIDE_RULES);
            (isOutside ? outside : rules).add(new Row(k, isOutside ? 0 : nodes, Timing.median(ms), Timing.median(cpuMs), Timing.median(workerMs)));
        }
        rules.sort(Comparator.comparingInt((Row r) -> PHASE_ORDER.indexOf(r.key().phase()))
                .thenComparing(Comparator.comparingDouble(Row::ms).reversed()));
        List<Row> rows = new ArrayList<>(rules);
        rows.addAll(outside);
        double[] st = samples.stream().mapToDouble(x -> x.stepNanos() / 1e6).toArray();
        double[] sc = samples.stream().mapToDouble(x -> x.stepCpuNanos() / 1e6).toArray();
        double[] sw = samples.stream().mapToDouble(x -> x.stepWorkerCpuNanos() / 1e6).toArray();
        return new Profile(model, batch, step, threads, Timing.median(st), Timing.median(sc), Timing.median(sw), cpu, List.copyOf(rows), List.copyOf(samples));
    }


    /** Rows of {@code a} and {@code b} matched by key, in {@code a}'s order then {@code b}'s leftovers. */
    public static Map<RowKey, Row[]> join(Profile a, Profile b) {
        Map<RowKey, Row[]> m = new LinkedHashMap<>();
        for (Row r : a.rows()) m.computeIfAbsent(r.key(), k -> new Row[2])[0] = r;
        for (Row r : b.rows()) m.computeIfAbsent(r.key(), k -> new Row[2])[1] = r;
        return m;
    }
}
