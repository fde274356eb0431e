package dev.apoptosis.cluster;

import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.prune.Calibration;
import dev.apoptosis.prune.Estimation;
import dev.apoptosis.prune.LocalEstimation;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.data.Batch;
import dev.apoptosis.train.LocalStep;
import dev.apoptosis.train.RoundComputation;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.SgdConfig;
import dev.apoptosis.train.StepComputation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code bench cluster}: what Spark buys and costs. One importance step (the median of a few) and one
 * fine-tuning epoch (data-parallel SGD steps over every batch of an epoch, without evaluation or
 * checkpoints) are timed on loopback standalone clusters of 1, 2, 4... one-core executors (separate
 * JVMs, as on real machines: the model is serialised and broadcast, results travel over sockets)
 * and, alternating with them, in this process on one kernel thread. Alternating matters on a shared
 * machine: a one-process figure taken minutes earlier may have met another load, so every ratio is
 * made of times measured in the same minute. The speed-up is the one-process time over the
 * cluster's; Spark's overhead per step is the 1-executor time minus the one-process time for the same
 * work, i.e. everything the cluster adds (scheduling, model shipping, task start, result transfer,
 * and a fresh executor JVM's slower code until the JIT compiler is done). The same epoch in local
 * SGD rounds of {@link #LOCAL_SGD_PERIOD} shows the per-step cost paid once per round. The empty step isolates
 * Spark's own part: a job that broadcasts the model's bytes and runs one task per executor doing
 * nothing.
 */
public final class ClusterBench {
    /** One cluster size's figures beside the one-process figures measured alternately with them. */
    public record Result(int executors, double localImportance, double importance, double localEpoch, double epoch, int trainSteps,
                         double localSgdEpoch, int localSgdPeriod, double emptyStep) {
        public double importanceSpeedUp() {
            return localImportance / importance;
        }

        public double epochSpeedUp() {
            return localEpoch / epoch;
        }

        /** Seconds the cluster adds to one importance step (meaningful for 1 executor: the same work). */
        public double importanceOverhead() {
            return importance - localImportance;
        }

        /** Seconds the cluster adds to one training step (meaningful for 1 executor). */
        public double stepOverhead() {
            return (epoch - localEpoch) / trainSteps;
        }

        public String toText() {
            String over = executors != 1 ? "" : String.format(Locale.ROOT, "   overhead: %+.3f s/importance step, %+.1f ms/train step",
                    importanceOverhead(), stepOverhead() * 1e3);
            return String.format(Locale.ROOT, "%d executor%s  importance %6.3f s/step vs %6.3f in 1 process (x%.2f)   epoch of %d steps "
                    + "%6.2f s vs %5.2f (x%.2f), local SGD K=%d %5.2f s (x%.2f)   empty step %5.1f ms%s", executors, executors == 1 ? " " : "s",
                    importance, localImportance, importanceSpeedUp(), trainSteps, epoch, localEpoch, epochSpeedUp(), localSgdPeriod, localSgdEpoch,
                    localEpoch / localSgdEpoch, emptyStep * 1e3, over);
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"bench\":\"cluster\",\"executors\":%d,\"importance_s\":%.6f,\"local_importance_s\":%.6f,"
                    + "\"epoch_s\":%.6f,\"local_epoch_s\":%.6f,\"train_steps\":%d,\"importance_speedup\":%.4f,\"epoch_speedup\":%.4f,"
                    + "\"importance_overhead_s\":%.6f,\"step_overhead_s\":%.6f,\"local_sgd_epoch_s\":%.6f,\"local_sgd_period\":%d,"
                    + "\"empty_step_s\":%.6f}", executors, importance, localImportance, epoch, localEpoch, trainSteps, importanceSpeedUp(),
                    epochSpeedUp(), importanceOverhead(), stepOverhead(), localSgdEpoch, localSgdPeriod, emptyStep);
        }
    }

    /** What to time: the model, data spec, criterion, calibration batches per step, batch size and repetitions of the importance step. */
    public record Settings(Supplier<Graph> model, String dataSpec, String criterion, int calibBatches, int batch, int reps,
                           List<Integer> executors) {}

    private ClusterBench() {}

    public static void run(Settings s, Path workDir, Consumer<Result> out) throws IOException {
        DataSplits data = DataSpec.parse(s.dataSpec()).load();
        Criterion crit = Criteria.create(s.criterion());
        for (int n : s.executors()) {
            Path dir = Files.createDirectories(workDir.resolve("executors-" + n));
            try (LoopbackCluster machines = new LoopbackCluster(dir, n);
                 ClusterSession cluster = Cluster.open(machines.url(), Duration.ofSeconds(120), conf())) {
                awaitExecutors(cluster, n, machines);
                Estimation spread = cluster.estimation(data, s.dataSpec(), s.criterion(), List.of());
                Estimation local = new LocalEstimation(data);
                StepComputation spreadSteps = cluster.training(s.dataSpec(), s.batch(), 0, 0);
                StepComputation localSteps = new LocalStep();
                Graph gc = s.model().get(), gl = s.model().get();
                // Untimed first round of each (JIT, class loading, executors' first data load).
                importance(local, gl, crit, s, 0);
                importance(spread, gc, crit, s, 0);
                double[] li = new double[s.reps()], ci = new double[s.reps()];
                for (int r = 0; r < s.reps(); r++) {
                    li[r] = importance(local, gl, crit, s, r + 1);
                    ci[r] = importance(spread, gc, crit, s, r + 1);
                }
                Epoch le = epoch(localSteps, gl, data, s.batch()), ce = epoch(spreadSteps, gc, data, s.batch());
                Epoch re = rounds(cluster.localSgd(s.dataSpec(), s.batch(), 0, 0, SGD, LOCAL_SGD_PERIOD), gc, data, s.batch());
                double empty = emptyStep((SparkCluster) cluster, ModelBytes.of(gc));
                out.accept(new Result(n, dev.apoptosis.bench.Timing.median(li), dev.apoptosis.bench.Timing.median(ci), le.seconds, ce.seconds, ce.steps, re.seconds, LOCAL_SGD_PERIOD, empty));
            }
        }
    }

    /** Seconds of one importance step; the local side on one kernel thread, like each executor. */
    private static double importance(Estimation e, Graph g, Criterion crit, Settings s, int step) {
        boolean local = e instanceof LocalEstimation;
        int before = Parallel.threads();
        if (local) Parallel.setThreads(1);
        try {
            long t0 = System.nanoTime();
            e.estimate(g, crit, new Calibration(step, s.calibBatches(), s.batch(), 1));
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            if (local) Parallel.setThreads(before);
        }
    }

    private record Epoch(double seconds, int steps) {}

    private static final SgdConfig SGD = new SgdConfig(0.9, 1e-4, false);
    /** K of the local SGD epoch: Spark's per-step cost paid once per 4 steps. */
    static final int LOCAL_SGD_PERIOD = 4;

    /** A fine-tuning epoch of local SGD: one untimed round of epoch 0, then epoch 1 in rounds of K. */
    private static Epoch rounds(RoundComputation r, Graph g, DataSplits data, int batch) {
        Sgd sgd = new Sgd(g, SGD);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        int k = r.period(), n = 0;
        try (DataLoader loader = data.trainLoader(batch, 0)) {
            try (DataLoader.Epoch e = loader.epoch(0)) {
                List<Batch> warm = new java.util.ArrayList<>();
                while (e.hasNext() && warm.size() < k) warm.add(e.next());
                r.round(g, sgd, warm, lrs(warm.size()), new long[warm.size()], loss);
            }
            long t0 = System.nanoTime();
            try (DataLoader.Epoch e = loader.epoch(1)) {
                while (e.hasNext()) {
                    List<Batch> round = new java.util.ArrayList<>();
                    while (e.hasNext() && round.size() < k) round.add(e.next());
                    r.round(g, sgd, round, lrs(round.size()), new long[round.size()], loss);
                    n += round.size();
                }
            }
            return new Epoch((System.nanoTime() - t0) / 1e9, n);
        }
    }

    private static double[] lrs(int n) {
        double[] l = new double[n];
        Arrays.fill(l, 0.01);
        return l;
    }

    /** A fine-tuning epoch: 3 untimed steps of epoch 0, then every batch of epoch 1 through {@code steps} and SGD. */
    private static Epoch epoch(StepComputation steps, Graph g, DataSplits data, int batch) {
        boolean local = steps instanceof LocalStep;
        int before = Parallel.threads();
        if (local) Parallel.setThreads(1);
        try {
            Sgd sgd = new Sgd(g, SGD);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            int n = 0;
            try (DataLoader loader = data.trainLoader(batch, 0)) {
                try (DataLoader.Epoch e = loader.epoch(0)) {
                    for (int i = 0; i < 3 && e.hasNext(); i++) sgd.step(steps.compute(g, e.next(), loss, i).gradient(), 0.01);
                }
                long t0 = System.nanoTime();
                try (DataLoader.Epoch e = loader.epoch(1)) {
                    while (e.hasNext()) {
                        sgd.step(steps.compute(g, e.next(), loss, n).gradient(), 0.01);
                        n++;
                    }
                }
                return new Epoch((System.nanoTime() - t0) / 1e9, n);
            }
        } finally {
            if (local) Parallel.setThreads(before);
        }
    }


    /** The median of 20 empty steps broadcasting the model's bytes, after 5 untimed ones. */
    private static double emptyStep(SparkCluster c, byte[] model) {
        for (int i = 0; i < 5; i++) c.emptyStep(model);
        double[] t = new double[20];
        for (int i = 0; i < t.length; i++) t[i] = c.emptyStep(model);
        return dev.apoptosis.bench.Timing.median(t);
    }

    private static Map<String, String> conf() {
        Map<String, String> c = new java.util.HashMap<>(LoopbackCluster.driverConf());
        c.put("spark.executor.extraJavaOptions", "-Dapoptosis.threads=1"); // one kernel thread per one-core executor
        return c;
    }

    private static void awaitExecutors(ClusterSession cluster, int n, LoopbackCluster machines) {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (cluster.executors() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(n + " executors did not register within 180 s; first worker's log:\n" + machines.log("worker0"));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
