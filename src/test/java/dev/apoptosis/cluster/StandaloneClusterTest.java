package dev.apoptosis.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.Scores;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.prune.Calibration;
import dev.apoptosis.prune.LocalEstimation;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.TrainConfig;
import dev.apoptosis.train.Trainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkStatusTracker;

/**
 * A real standalone cluster on loopback (a master and two one-core workers in child JVMs, see
 * {@link LoopbackCluster}): importance and fine-tuning equal the single-process oracle as on
 * {@code local[2]}, and a worker killed in the middle of a step changes nothing in the result (its
 * blocks are recomputed by Spark's task retry and counted once). Tagged {@code standalone}: it
 * starts five JVMs, so it runs in its own command (docs/cluster.md), not in the default suite.
 */
@Tag("standalone")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    @TempDir
    static Path dir;
    private static LoopbackCluster machines;
    private static ClusterSession cluster;
    private static DataSplits digits;
    private static Graph model;

    @BeforeAll
    static void start() throws Exception {
        digits = DataSpec.parse("digits-bundled").load();
        model = ModelZoo.build("digits-cnn", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(8).withSeed(5));
        machines = new LoopbackCluster(dir, 2);
        cluster = Cluster.open(machines.url(), Duration.ofSeconds(120), LoopbackCluster.driverConf());
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (cluster.slots() < 2) {
            assertTrue(System.nanoTime() < deadline, () -> "two executors within 120 s; worker log: " + machines.log("worker1"));
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
        if (machines != null) machines.close();
    }

    private static void assertSameScores(Scores expected, Scores actual, String what) {
        assertEquals(expected.batches(), actual.batches(), what);
        for (String p : expected.names()) assertArrayEquals(expected.sum(p), actual.sum(p), what + " " + p);
    }

    @Test
    @Order(1)
    void importanceEqualsTheSingleMachineScoresBitForBit() {
        for (String name : List.of("taylor", "oba")) {
            Criterion c = Criteria.create(name);
            Calibration cal = new Calibration(3, 10, 32, 1);
            assertSameScores(new LocalEstimation(digits).estimate(model, c, cal),
                    cluster.estimation(digits, "digits-bundled", name, List.of()).estimate(model, c, cal), name);
        }
    }

    @Test
    @Order(2)
    void fineTuningMatchesOneProcessWithTheSameGlobalBatch() throws Exception {
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(128).lr(0.05).momentum(0.9).seed(2).build();
        ModelOptions o = ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(32).withSeed(8);
        Graph one = ModelZoo.build("mlp", o), spread = ModelZoo.build("mlp", o);
        new Trainer(one, cfg, digits, dir.resolve("one.ckpt"), Map.of()).run();
        new Trainer(spread, cfg, digits, dir.resolve("spread.ckpt"), Map.of()).computation(cluster.training("digits-bundled", 128, 2, 0)).run();
        for (Map.Entry<String, Tensor> e : one.state().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), spread.state().get(e.getKey()).toArray(), 2e-6f, e.getKey());
        }
    }

    @Test
    @Order(3)
    void aWorkerKilledMidStepLeavesTheScoresUnchanged() throws Exception {
        Criterion c = Criteria.create("oba");
        Calibration cal = new Calibration(2, 90, 16, 6); // 90 of the 93 batches of 16: 23 blocks, well under way when the worker dies
        Scores oracle = new LocalEstimation(digits).estimate(model, c, cal);
        CompletableFuture<Scores> job = CompletableFuture.supplyAsync(
                () -> cluster.estimation(digits, "digits-bundled", "oba", List.of()).estimate(model, c, cal));
        // Kill once some blocks are done and many remain (watched through Spark's status tracker, not a sleep).
        JavaSparkStatusTracker status = ((SparkCluster) cluster).context().statusTracker();
        int stage = -1;
        while (stage < 0) {
            assertTrue(!job.isDone(), "the step ended before the worker could be killed mid-step");
            for (int id : status.getActiveStageIds()) {
                SparkStageInfo i = status.getStageInfo(id);
                if (i != null && i.numCompletedTasks() >= 2 && i.numCompletedTasks() < i.numTasks() - 6) stage = id;
            }
            Thread.sleep(10);
        }
        machines.killWorker(0);
        Scores survived = job.get();
        assertSameScores(oracle, survived, "after losing a worker");
        assertEquals(90, survived.batches(), "every batch counted once");
        // Spark's status store is fed asynchronously: give it a moment to record every task's end.
        long deadline = System.nanoTime() + 10_000_000_000L;
        SparkStageInfo done = status.getStageInfo(stage);
        while ((done == null || done.numCompletedTasks() < 23) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            done = status.getStageInfo(stage);
        }
        assertTrue(done != null && done.numFailedTasks() >= 1, "the killed executor's running block failed and was recomputed: "
                + (done == null ? "no stage info" : done.numFailedTasks() + " failed tasks"));
        assertEquals(23, done.numCompletedTasks(), "each block completed once");
    }
}
