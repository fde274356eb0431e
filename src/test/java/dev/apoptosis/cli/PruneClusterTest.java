package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.prune.StepRecord;
import dev.apoptosis.tensor.Tensor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune --cluster local[2]} against the same command without it (the oracle): the same
 * channels removed at every step and the same pruned model, bit for bit. And the refusals: an
 * unreachable master fails fast, a master that is not local[N] or spark:// is refused by name.
 */
class PruneClusterTest {
    @TempDir
    Path dir;

    /** An untrained BatchNorm CNN recorded as trained on the bundled digits: importance needs no accuracy, only a model. */
    private Path model() throws IOException {
        Graph g = ModelZoo.build("digits-cnn", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(8).withSeed(11));
        Path f = dir.resolve("cnn.ckpt");
        Checkpoint.of(g, Map.of(Checkpoint.Meta.MODEL, "digits-cnn", Checkpoint.Meta.DATA, "digits-bundled"), null, null).write(f);
        return f;
    }

    private static String[] prune(Path model, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("prune", "--model", model.toString(), "--criterion", "oba", "--target-macs", "0.5",
                "--steps", "3", "--calib-batches", "6", "--batch", "32", "--seed", "4", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void clusterRunPrunesExactlyAsTheSingleMachineRun() throws IOException {
        Path m = model();
        Path one = dir.resolve("one.ckpt"), spread = dir.resolve("spread.ckpt");
        var a = TrainCommandTest.run(prune(m, one));
        assertEquals(0, a.code(), a.err());
        var b = TrainCommandTest.run(prune(m, spread, "--cluster", "local[2]"));
        assertEquals(0, b.code(), b.err());
        Checkpoint ca = Checkpoint.read(one), cb = Checkpoint.read(spread);
        List<String> ha = List.of(ca.metadata().get("prune.history").strip().split("\n"));
        List<String> hb = List.of(cb.metadata().get("prune.history").strip().split("\n"));
        assertEquals(3, ha.size());
        for (int i = 0; i < ha.size(); i++) {
            StepRecord ra = StepRecord.fromJson(ha.get(i)), rb = StepRecord.fromJson(hb.get(i));
            assertEquals(ra.macs(), rb.macs(), "step " + (i + 1));
            assertEquals(ra.removed(), rb.removed(), "step " + (i + 1));
            assertEquals(ra.removals().size(), rb.removals().size(), "step " + (i + 1));
            for (int j = 0; j < ra.removals().size(); j++) {
                assertEquals(ra.removals().get(j).group(), rb.removals().get(j).group());
                assertArrayEquals(ra.removals().get(j).removed(), rb.removals().get(j).removed(), "step " + (i + 1) + ": the same channels");
            }
        }
        Graph ga = ca.toGraph(), gb = cb.toGraph();
        assertTrue(ga.macs() < Checkpoint.readGraph(m).macs(), "something was pruned");
        assertEquals(ga.state().keySet(), gb.state().keySet());
        for (Map.Entry<String, Tensor> e : ga.state().entrySet()) {
            assertArrayEquals(e.getValue().shape(), gb.state().get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().toArray(), gb.state().get(e.getKey()).toArray(), e.getKey());
        }
    }

    @Test
    void fineTuningOnTheClusterWithGradientsOrLocalSgdWritesTheDriversCheckpoint() throws IOException {
        Path out = dir.resolve("tuned.ckpt");
        var r = TrainCommandTest.run(prune(model(), out, "--cluster", "local[2]", "--finetune-epochs", "1", "--finetune-lr", "0.01",
                "--progress", "quiet"));
        assertEquals(0, r.code(), r.err());
        Checkpoint c = Checkpoint.read(out);
        assertEquals("tuned", c.metadata().get("prune.phase"));
        assertEquals("1", c.metadata().get(Checkpoint.Meta.EPOCH), "the Trainer's checkpoint after its epoch");
        assertTrue(c.optimizer() != null && c.optimizer().step() > 0, "momentum state kept for resuming");
        Path rounds = dir.resolve("rounds.ckpt");
        var k = TrainCommandTest.run(prune(model(), rounds, "--cluster", "local[2]", "--finetune-epochs", "1", "--finetune-lr", "0.01",
                "--progress", "quiet", "--cluster-average-every", "4"));
        assertEquals(0, k.code(), k.err());
        assertEquals(c.optimizer().step(), Checkpoint.read(rounds).optimizer().step(), "local SGD took as many steps");
    }

    @Test
    void unreachableMasterFailsFastWithAClearError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, closed below: nothing listens there
        }
        long t0 = System.nanoTime();
        var r = TrainCommandTest.run(prune(model(), dir.resolve("x.ckpt"), "--cluster", "spark://127.0.0.1:" + port, "--cluster-timeout", "5"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the master is unreachable"), r.err());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "bounded wait");
    }

    @Test
    void badMastersAndLocalSgdWithoutAClusterAreRefusedByName() throws IOException {
        var k = TrainCommandTest.run(prune(model(), dir.resolve("k.ckpt"), "--cluster-average-every", "4"));
        assertEquals(2, k.code());
        assertTrue(k.err().contains("--cluster-average-every 4 averages parameters across executors: it needs --cluster"), k.err());
        var bad = TrainCommandTest.run(prune(model(), dir.resolve("z.ckpt"), "--cluster", "yarn"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--cluster must be local[N] or spark://HOST:PORT"), bad.err());
    }
}
