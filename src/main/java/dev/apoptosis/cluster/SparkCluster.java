package dev.apoptosis.cluster;

import dev.apoptosis.data.DataSplits;
import dev.apoptosis.prune.Estimation;
import dev.apoptosis.train.RoundComputation;
import dev.apoptosis.train.SgdConfig;
import dev.apoptosis.train.StepComputation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark context and what it takes to start it safely: a master that does not answer, or answers
 * but gives no executor, is an error after a bounded wait (Spark alone would retry for a minute and
 * then leave jobs waiting for resources for ever). Executors get the JVM options the kernels need
 * (the Vector API module) and, on a standalone cluster, this JVM's class path, which must therefore
 * be readable at the same place on every worker (a shared folder, as the data).
 */
final class SparkCluster implements ClusterSession {
    /** JVM options every executor needs: the kernels' Vector API module, and what Spark opens on Java 17. */
    static final String EXECUTOR_JAVA_OPTIONS = "--add-modules jdk.incubator.vector"
            + " --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
            + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED"
            + " --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
            + " --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED"
            + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED"
            + " --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
            + " -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true";

    private final String master;
    private final JavaSparkContext sc;

    private SparkCluster(String master, JavaSparkContext sc) {
        this.master = master;
        this.sc = sc;
    }

    static SparkCluster start(String master, Duration timeout, java.util.Map<String, String> extra) {
        quietLogging();
        if (master.startsWith("spark://")) probe(master, timeout);
        SparkConf conf = new SparkConf().setMaster(master).setAppName("apoptosis")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraJavaOptions", EXECUTOR_JAVA_OPTIONS)
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        // Extra executor JVM options add to the ones the kernels need rather than replace them.
        extra.forEach((k, v) -> conf.set(k, k.equals("spark.executor.extraJavaOptions") ? EXECUTOR_JAVA_OPTIONS + " " + v : v));
        // The constructor blocks while a standalone master registers the application; bound that wait.
        ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "apoptosis-spark-start");
            t.setDaemon(true);
            return t;
        });
        JavaSparkContext sc;
        try {
            Future<JavaSparkContext> f = starter.submit(() -> new JavaSparkContext(conf));
            try {
                sc = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw new IllegalStateException("--cluster " + master + ": the master did not accept the application within "
                        + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                throw new IllegalStateException("--cluster " + master + ": Spark did not start: " + Failures.summary(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("--cluster " + master + ": interrupted while starting Spark", e);
            }
        } finally {
            starter.shutdown();
        }
        SparkCluster c = new SparkCluster(master, sc);
        try {
            c.awaitExecutor(timeout);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A standalone master must at least accept a TCP connection; checked first because Spark retries a dead one for a minute. */
    private static void probe(String master, Duration timeout) {
        URI u = URI.create(master);
        if (u.getHost() == null || u.getPort() < 0) throw new IllegalArgumentException("--cluster " + master + ": expected spark://HOST:PORT");
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.min(timeout.toMillis(), 10_000)));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), ms);
        } catch (IOException e) {
            throw new IllegalStateException("--cluster " + master + ": the master is unreachable (" + e.getMessage() + ")", e);
        }
    }

    /** Waits until at least one executor has registered (local mode runs tasks in the driver: nothing to wait for). */
    private void awaitExecutor(Duration timeout) {
        if (master.startsWith("local")) return;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (executors() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("--cluster " + master + ": no executor registered within " + timeout.toSeconds()
                        + " s (no worker with free cores and memory, or workers that cannot reach this driver)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }

    /** Registered executors, the driver not counted (except in local mode, where it is the executor). */
    @Override
    public int executors() {
        return Math.max(0, sc.statusTracker().getExecutorInfos().length - (master.startsWith("local") ? 0 : 1));
    }

    /**
     * Spark logs through slf4j, which here is slf4j-simple at INFO: hundreds of lines per job. Its
     * loggers are set to WARN unless the user chose a level (system properties read when each
     * logger is created, so this must run before Spark's classes log).
     */
    private static void quietLogging() {
        for (String p : List.of("org.apache.spark", "org.sparkproject", "io.netty", "org.apache.hadoop")) {
            String key = "org.slf4j.simpleLogger.log." + p;
            if (System.getProperty(key) == null) System.setProperty(key, p.equals("org.apache.hadoop") ? "error" : "warn");
        }
        // Destroying a step's model broadcast warns about pieces an executor never fetched: expected, not a problem.
        String bm = "org.slf4j.simpleLogger.log.org.apache.spark.storage.BlockManager";
        if (System.getProperty(bm) == null) System.setProperty(bm, "error");
    }

    /**
     * Seconds of one step that does no work: {@code payload} broadcast, one task per slot that only
     * reads it, results collected, broadcast destroyed. What Spark itself costs per step (scheduling,
     * shipping, task start and result round trips), without any model or data work.
     */
    double emptyStep(byte[] payload) {
        int tasks = slots();
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i < tasks; i++) ids.add(i);
        long t0 = System.nanoTime();
        org.apache.spark.broadcast.Broadcast<byte[]> b = sc.broadcast(payload);
        try {
            sc.parallelize(ids, tasks).map(i -> b.value().length).collect();
        } finally {
            b.destroy();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    JavaSparkContext context() {
        return sc;
    }

    @Override
    public String master() {
        return master;
    }

    @Override
    public int slots() {
        return sc.defaultParallelism();
    }

    @Override
    public Estimation estimation(DataSplits driverData, String dataSpec, String criterion, List<String> criterionOptions) {
        return new SparkEstimation(this, driverData, dataSpec, criterion, criterionOptions);
    }

    @Override
    public StepComputation training(String dataSpec, int batchSize, long dataSeed, double labelSmoothing) {
        return new SparkTraining(this, dataSpec, batchSize, dataSeed, labelSmoothing, slots());
    }

    @Override
    public RoundComputation localSgd(String dataSpec, int batchSize, long dataSeed, double labelSmoothing, SgdConfig sgd, int period) {
        RoundShard task = new RoundShard(SharedData.spec(dataSpec), batchSize, dataSeed, labelSmoothing, sgd.momentum(), sgd.weightDecay(),
                sgd.nesterov());
        return new SparkLocalSgd(this, task, period, slots());
    }

    @Override
    public void close() {
        sc.stop();
    }
}
