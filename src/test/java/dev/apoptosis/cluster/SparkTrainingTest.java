package dev.apoptosis.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.TrainConfig;
import dev.apoptosis.train.TrainListener;
import dev.apoptosis.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel fine-tuning on {@code local[2]} against single-process SGD with the same global batch
 * (the oracle): the same weights to float rounding where the shards' passes are the global batch's
 * (no BatchNorm), BatchNorm running statistics from the whole batch's moments, and a resumed cluster
 * run bit-identical to an uninterrupted one.
 */
class SparkTrainingTest {
    private static ClusterSession cluster;
    private static DataSplits digits;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        digits = DataSpec.parse("digits-bundled").load();
        cluster = Cluster.open("local[2]", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private static Graph model(String name, long seed) {
        return ModelZoo.build(name, ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(name.equals("mlp") ? 32 : 8).withSeed(seed));
    }

    private static TrainConfig.Builder config() {
        return TrainConfig.builder().batchSize(128).lr(0.05).momentum(0.9).weightDecay(1e-4).seed(9);
    }

    @Test
    void anEpochOfDataParallelSgdMatchesOneProcessWithTheSameGlobalBatch() throws IOException {
        TrainConfig cfg = config().epochs(1).build(); // 11 steps of 128 samples
        Graph one = model("mlp", 3), spread = model("mlp", 3);
        new Trainer(one, cfg, digits, dir.resolve("one.ckpt"), Map.of()).run();
        new Trainer(spread, cfg, digits, dir.resolve("spread.ckpt"), Map.of())
                .computation(cluster.training("digits-bundled", 128, 9, 0)).run();
        double moved = 0;
        Graph start = model("mlp", 3);
        for (Map.Entry<String, Tensor> e : one.state().entrySet()) {
            float[] a = e.getValue().toArray(), b = spread.state().get(e.getKey()).toArray(), s = start.state().get(e.getKey()).toArray();
            for (int i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(a[i] - s[i]));
            // float32 rounding of the shard means, carried through 11 momentum steps: far below the steps' size
            assertArrayEquals(a, b, 2e-6f, e.getKey());
        }
        assertTrue(moved > 1e-2, "training moved the weights (" + moved + "), so the comparison is not vacuous");
    }

    @Test
    void batchNormRunningStatisticsAreTheWholeBatchs() throws IOException {
        // One step: the first BatchNorm sees the same values in both runs (conv1 of the same images with
        // the same weights), so its running statistics must agree to float rounding; a per-shard average
        // of running statistics would miss the spread between the shards' means in the variance.
        TrainConfig cfg = config().epochs(1).build();
        Graph one = model("digits-cnn", 4), spread = model("digits-cnn", 4);
        stopAfterOneStep(one, cfg, null);
        stopAfterOneStep(spread, cfg, cluster);
        Node first = null;
        for (Node n : one.nodes()) if (first == null && n.op() instanceof BatchNorm2d) first = n;
        Node other = spread.node(first.name());
        float[] init = new float[first.buffers().get(1).value().size()];
        java.util.Arrays.fill(init, 1f);
        assertTrue(!java.util.Arrays.equals(init, first.buffers().get(1).value().toArray()), "the step updated running_var");
        assertArrayEquals(first.buffers().get(0).value().toArray(), other.buffers().get(0).value().toArray(), 1e-6f, "running_mean");
        assertArrayEquals(first.buffers().get(1).value().toArray(), other.buffers().get(1).value().toArray(), 1e-5f, "running_var");
    }

    @Test
    void aResidualNetworkTrainsOnTheClusterWithTheWholeBatchsStatistics() throws IOException {
        // Shortcut additions and ReLUs around every BatchNorm: each layer's input must still be readable
        // for its moments after the forward pass (the executors' pass keeps every output).
        ModelOptions o = ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(4).withSeed(3);
        TrainConfig cfg = config().epochs(1).build();
        Graph one = ModelZoo.build("resnet20", o), spread = ModelZoo.build("resnet20", o);
        stopAfterOneStep(one, cfg, null);
        stopAfterOneStep(spread, cfg, cluster);
        Node first = null;
        for (Node n : one.nodes()) if (first == null && n.op() instanceof BatchNorm2d) first = n;
        assertArrayEquals(first.buffers().get(1).value().toArray(), spread.node(first.name()).buffers().get(1).value().toArray(), 1e-5f);
        for (Map.Entry<String, Tensor> e : spread.state().entrySet()) {
            for (float v : e.getValue().toArray()) assertTrue(Float.isFinite(v), e.getKey());
        }
    }

    @Test
    void localSgdWithOneShardIsOneProcessSgd() throws IOException {
        // One worker taking every step of a round is plain SGD: rounds of 4 (4, 4, 3 steps in an epoch
        // of 11) must give one process's weights exactly and its BatchNorm statistics to float rounding.
        TrainConfig cfg = config().epochs(1).build();
        Graph one = model("digits-cnn", 7), spread = model("digits-cnn", 7);
        new Trainer(one, cfg, digits, dir.resolve("one.ckpt"), Map.of()).run();
        RoundShard task = new RoundShard("digits-bundled", 128, 9, 0, 0.9, 1e-4, false);
        new Trainer(spread, cfg, digits, dir.resolve("local-sgd.ckpt"), Map.of())
                .rounds(new SparkLocalSgd((SparkCluster) cluster, task, 4, 1)).run();
        for (dev.apoptosis.graph.Parameter p : one.parameters()) {
            assertArrayEquals(p.value().toArray(), spread.parameter(p.name()).value().toArray(), p.name());
        }
        for (dev.apoptosis.graph.Parameter p : one.buffers()) {
            assertArrayEquals(p.value().toArray(), spread.parameter(p.name()).value().toArray(), 1e-5f, p.name());
        }
    }

    @Test
    void localSgdRoundsOfOneAreGradientAveraging() throws IOException {
        TrainConfig cfg = config().epochs(1).build();
        Graph averaged = model("mlp", 3), rounds = model("mlp", 3);
        new Trainer(averaged, cfg, digits, dir.resolve("g.ckpt"), Map.of()).computation(cluster.training("digits-bundled", 128, 9, 0)).run();
        new Trainer(rounds, cfg, digits, dir.resolve("r.ckpt"), Map.of())
                .rounds(cluster.localSgd("digits-bundled", 128, 9, 0, cfg.sgd(), 1)).run();
        for (Map.Entry<String, Tensor> e : averaged.state().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), rounds.state().get(e.getKey()).toArray(), 2e-6f, e.getKey());
        }
        // Rounds of 2 really step locally: the two shards drift apart within a round, so the result moves away.
        Graph local = model("mlp", 3);
        new Trainer(local, cfg, digits, dir.resolve("l.ckpt"), Map.of()).rounds(cluster.localSgd("digits-bundled", 128, 9, 0, cfg.sgd(), 2)).run();
        double apart = 0;
        for (Map.Entry<String, Tensor> e : averaged.state().entrySet()) {
            float[] a = e.getValue().toArray(), b = local.state().get(e.getKey()).toArray();
            for (int i = 0; i < a.length; i++) apart = Math.max(apart, Math.abs(a[i] - b[i]));
        }
        assertTrue(apart > 1e-5, "local SGD over rounds of 2 differs from gradient averaging (" + apart + ")");
    }

    @Test
    void localSgdResumesBitIdenticallyBetweenRoundsAndRefusesCheckpointsInsideThem() throws IOException {
        TrainConfig cfg = config().epochs(1).checkpointEvery(4).build();
        Graph full = model("digits-cnn", 8);
        Path mid = dir.resolve("mid.ckpt");
        new Trainer(full, cfg, digits, dir.resolve("full.ckpt"), Map.of())
                .rounds(cluster.localSgd("digits-bundled", 128, 9, 0, cfg.sgd(), 2))
                .listener(new TrainListener() {
                    @Override
                    public void onCheckpoint(Path file, int epoch, int batch) {
                        if (batch == 4) copy(file, mid);
                    }
                }).run();
        Trainer resumed = Trainer.resume(Checkpoint.read(mid), mid, digits, dir.resolve("resumed.ckpt"))
                .rounds(cluster.localSgd("digits-bundled", 128, 9, 0, cfg.sgd(), 2));
        resumed.run();
        for (Map.Entry<String, Tensor> e : full.state().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), resumed.graph().state().get(e.getKey()).toArray(), e.getKey());
        }
        Trainer odd = new Trainer(model("mlp", 1), cfg, digits, dir.resolve("odd.ckpt"), Map.of());
        var err = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> odd.rounds(cluster.localSgd("digits-bundled", 128, 9, 0, cfg.sgd(), 3)));
        assertTrue(err.getMessage().contains("fall inside rounds of 3"), err.getMessage());
    }

    /** Runs the Trainer until its first step is done (a checkpoint every batch, stopped from the listener). */
    private void stopAfterOneStep(Graph g, TrainConfig cfg, ClusterSession on) throws IOException {
        Trainer t = new Trainer(g, cfg.toBuilder().checkpointEvery(1).build(), digits, dir.resolve(on == null ? "a.ckpt" : "b.ckpt"), Map.of());
        if (on != null) t.computation(on.training("digits-bundled", 128, 9, 0));
        t.listener(new TrainListener() {
            @Override
            public void onCheckpoint(Path file, int epoch, int batch) {
                throw new StopHere();
            }
        });
        try {
            t.run();
        } catch (StopHere expected) {
            // one step taken
        }
    }

    private static final class StopHere extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aResumedClusterRunIsBitIdenticalToAnUninterruptedOne() throws IOException {
        TrainConfig cfg = config().epochs(1).checkpointEvery(4).build();
        Graph full = model("digits-cnn", 6);
        Path mid = dir.resolve("mid.ckpt");
        new Trainer(full, cfg, digits, dir.resolve("full.ckpt"), Map.of()).computation(cluster.training("digits-bundled", 128, 9, 0))
                .listener(new TrainListener() {
                    @Override
                    public void onCheckpoint(Path file, int epoch, int batch) {
                        if (batch == 4) copy(file, mid);
                    }
                }).run();
        Trainer resumed = Trainer.resume(Checkpoint.read(mid), mid, digits, dir.resolve("resumed.ckpt"))
                .computation(cluster.training("digits-bundled", 128, 9, 0));
        resumed.run();
        Graph r = resumed.graph();
        assertEquals(full.state().keySet(), r.state().keySet());
        for (Map.Entry<String, Tensor> e : full.state().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), r.state().get(e.getKey()).toArray(), e.getKey()); // parameters and running statistics
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
