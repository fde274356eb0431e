package dev.apoptosis.cluster;

import dev.apoptosis.data.Batch;
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
import dev.apoptosis.train.LocalStep;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.SgdConfig;
import dev.apoptosis.train.StepComputation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code bench cluster}: what Spark buys and costs. One importance step (the median of a few) and one
 * fine-tuning epoch (data-parallel SGD steps over every batch of an epoch, without evaluation or
 * checkpoints) are timed in one process on one kernel thread, then on loopback standalone clusters of
 * 1, 2, 4... one-core executors (separate JVMs, as on real machines: the model is serialised and
 * broadcast, results travel over sockets). The speed-up is the one-process time over the cluster's;
 * Spark's overhead per step is the 1-executor time minus the one-process time, i.e. everything the
 * cluster adds to the same work (scheduling, model shipping, task start, result transfer, and a
 * fresh executor JVM's slower code until the JIT compiler is done). The empty step isolates Spark's
 * own part: a job that broadcasts the model's bytes and runs one task per executor doing nothing.
 */
public final class ClusterBench {
    /** One configuration's figures: {@code executors} 0 is the one-process baseline. */
    public record Result(int executors, double importanceSeconds, double epochSeconds, int trainSteps, double importanceSpeedUp,
                         double epochSpeedUp, double importanceOverhead, double stepOverhead, double emptyStep) {
        public String toText() {
            String who = executors == 0 ? "1 process, 1 thread " : String.format(Locale.ROOT, "%d executor%s (1 core each)", executors,
                    executors == 1 ? " " : "s");
            String over = (executors == 0 ? "" : String.format(Locale.ROOT, "   empty step %.1f ms", emptyStep * 1e3))
                    + (executors != 1 ? "" : String.format(Locale.ROOT, "   overhead vs 1 process: %+.3f s/importance step, %+.1f ms/train step",
                    importanceOverhead, stepOverhead * 1e3));
            return String.format(Locale.ROOT, "%-24s importance %7.3f s/step (x%.2f)   epoch %7.2f s = %3d steps (x%.2f)%s", who,
                    importanceSeconds, importanceSpeedUp, epochSeconds, trainSteps, epochSpeedUp, over);
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"bench\":\"cluster\",\"executors\":%d,\"importance_s\":%.6f,\"epoch_s\":%.6f,\"train_steps\":%d,"
                    + "\"importance_speedup\":%.4f,\"epoch_speedup\":%.4f,\"importance_overhead_s\":%.6f,\"step_overhead_s\":%.6f,"
                    + "\"empty_step_s\":%.6f}", executors, importanceSeconds, epochSeconds, trainSteps, importanceSpeedUp, epochSpeedUp,
                    importanceOverhead, stepOverhead, emptyStep);
        }
    }

    /** What to time: the model, data spec, criterion, calibration batches per step, batch size and repetitions of the importance step. */
    public record Settings(Supplier<Graph> model, String dataSpec, String criterion, int calibBatches, int batch, int reps,
                           List<Integer> executors) {}

    private ClusterBench() {}

    public static void run(Settings s, Path workDir, Consumer<Result> out) throws IOException {
        DataSplits data = DataSpec.parse(s.dataSpec()).load();
        Criterion crit = Criteria.create(s.criterion());
        int before = Parallel.threads();
        Measured base;
        Parallel.setThreads(1); // the baseline is one core, like each executor
        try {
            base = measure(s, data, crit, new LocalEstimation(data), new LocalStep());
        } finally {
            Parallel.setThreads(before);
        }
        out.accept(new Result(0, base.importance, base.epoch, base.steps, 1, 1, 0, 0, 0));
        Measured one = null;
        for (int n : s.executors()) {
            Path dir = Files.createDirectories(workDir.resolve("executors-" + n));
            try (LoopbackCluster machines = new LoopbackCluster(dir, n);
                 ClusterSession cluster = Cluster.open(machines.url(), Duration.ofSeconds(120), conf())) {
                awaitExecutors(cluster, n, machines);
                Measured m = measure(s, data, crit, cluster.estimation(data, s.dataSpec(), s.criterion(), List.of()),
                        cluster.training(s.dataSpec(), s.batch(), 0, 0));
                if (n == 1) one = m;
                // The overhead is the 1-executor run's extra time over the same work in one process.
                double impOver = one.importance - base.importance;
                double stepOver = (one.epoch - base.epoch) / base.steps;
                double empty = emptyStep((SparkCluster) cluster, ModelBytes.of(s.model().get()));
                out.accept(new Result(n, m.importance, m.epoch, m.steps, base.importance / m.importance, base.epoch / m.epoch, impOver, stepOver,
                        empty));
            }
        }
    }

    /** The median of 20 empty steps broadcasting the model's bytes, after 5 untimed ones. */
    private static double emptyStep(SparkCluster c, byte[] model) {
        for (int i = 0; i < 5; i++) c.emptyStep(model);
        double[] t = new double[20];
        for (int i = 0; i < t.length; i++) t[i] = c.emptyStep(model);
        Arrays.sort(t);
        return t[t.length / 2];
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

    private record Measured(double importance, double epoch, int steps) {}

    private static Measured measure(Settings s, DataSplits data, Criterion crit, Estimation est, StepComputation steps) {
        Graph g = s.model().get();
        // Importance: one untimed step (JIT, class loading, executors' first data load), then the median of reps.
        est.estimate(g, crit, new Calibration(0, s.calibBatches(), s.batch(), 1));
        double[] t = new double[s.reps()];
        for (int r = 0; r < t.length; r++) {
            long t0 = System.nanoTime();
            est.estimate(g, crit, new Calibration(r + 1, s.calibBatches(), s.batch(), 1));
            t[r] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        double importance = t[t.length / 2];
        // A fine-tuning epoch: every batch of epoch 1 through the step computation and SGD (epoch 0 warms up on 3 batches).
        Sgd sgd = new Sgd(g, new SgdConfig(0.9, 1e-4, false));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        List<Batch> warm = new ArrayList<>();
        int n = 0;
        long t0;
        try (DataLoader loader = data.trainLoader(s.batch(), 0)) {
            try (DataLoader.Epoch e = loader.epoch(0)) {
                while (e.hasNext() && warm.size() < 3) warm.add(e.next());
            }
            for (Batch b : warm) sgd.step(steps.compute(g, b, loss, 0).gradient(), 0.01);
            t0 = System.nanoTime();
            try (DataLoader.Epoch e = loader.epoch(1)) {
                while (e.hasNext()) {
                    sgd.step(steps.compute(g, e.next(), loss, n).gradient(), 0.01);
                    n++;
                }
            }
        }
        return new Measured(importance, (System.nanoTime() - t0) / 1e9, n);
    }
}
