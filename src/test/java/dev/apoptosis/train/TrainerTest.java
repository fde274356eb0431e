package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.checkpoint.CheckpointException;
import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Dropout;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop: learning, bit-exact resume (end of epoch and mid-epoch), divergence handling. */
class TrainerTest {
    @TempDir
    Path dir;

    /** conv-BN-ReLU, then GAP, Dropout and Linear: buffers (BN running stats) and a stochastic op to resume. */
    static Graph cnn(int classes) {
        GraphBuilder b = new GraphBuilder("tiny", 11);
        Node x = b.input("input", 1, 8, 8);
        x = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), b.add("conv1", Conv2d.of(6, 3, 1, 1, false), x)));
        x = b.add("relu2", new ReLU(), b.add("bn2", new BatchNorm2d(), b.add("conv2", Conv2d.of(8, 3, 2, 1, false), x)));
        x = b.add("drop", new Dropout(0.2), b.add("gap", new GlobalAvgPool(), x));
        return b.build(b.add("fc", Linear.of(classes), x));
    }

    static TrainConfig config(int epochs) {
        return TrainConfig.builder().epochs(epochs).batchSize(16).lr(0.05).nesterov(true).weightDecay(1e-3).warmupEpochs(0.5)
                .seed(7).build();
    }

    /** A listener that "kills" the run by throwing when {@code when} says so. */
    static final class Kill extends RuntimeException {}

    @Test
    void learnsTheSyntheticTask() throws IOException {
        DataSplits data = SyntheticData.splits(256, 128, 6);
        List<TrainListener.EpochEvent> epochs = new ArrayList<>();
        Trainer t = new Trainer(cnn(6), config(4), data, dir.resolve("a.ckpt"), Map.of("model", "tiny")).listener(new TrainListener() {
            @Override public void onEpoch(EpochEvent e) {
                epochs.add(e);
            }
        });
        TrainResult r = t.run();
        assertEquals(4, epochs.size());
        assertTrue(r.test().top1() > 0.8, "test accuracy " + r.test());
        assertTrue(epochs.get(3).trainLoss() < epochs.get(0).trainLoss());
        Checkpoint c = Checkpoint.read(dir.resolve("a.ckpt"));
        assertEquals(4, c.progress().epoch());
        assertEquals(0, c.progress().batch());
        assertEquals(4L * 16, c.optimizer().step());
        assertEquals("tiny", c.metadata().get("model"));
        assertEquals(Double.toString(r.test().top1()), c.metadata().get(Checkpoint.Meta.TOP1));
        assertEquals(config(4), TrainConfig.fromMap(c.progress().config()));
        assertNotNull(c.metadata().get(Checkpoint.Meta.CREATED));
        List<EpochRecord> h = c.progress().history();
        assertEquals(4, h.size());
        for (int i = 0; i < 4; i++) {
            TrainListener.EpochEvent e = epochs.get(i);
            assertEquals(new EpochRecord(i + 1, e.trainLoss(), e.trainTop1(), e.test().loss(), e.test().top1(), e.test().top5(),
                    e.seconds()), h.get(i), "the history records what the epoch reported");
            assertTrue(e.seconds() > 0);
        }
    }

    @Test
    void resumeAfterAnEpochGivesBitIdenticalWeights() throws IOException {
        DataSplits data = SyntheticData.splits(64, 32, 6);
        Graph straight = cnn(6);
        new Trainer(straight, config(2), data, dir.resolve("straight.ckpt"), Map.of()).run();

        Path f = dir.resolve("killed.ckpt");
        Trainer killed = new Trainer(cnn(6), config(2), data, f, Map.of()).listener(new TrainListener() {
            @Override public void onEpoch(EpochEvent e) {
                if (e.epoch() == 0) throw new Kill();
            }
        });
        assertThrows(Kill.class, killed::run);
        Checkpoint saved = Checkpoint.read(f);
        assertEquals(1, saved.progress().epoch());
        Trainer resumed = Trainer.resume(saved, f, data, dir.resolve("resumed.ckpt"));
        resumed.run();
        assertSameState(straight, resumed.graph());
        assertSameState(straight, Checkpoint.read(dir.resolve("resumed.ckpt")).toGraph());
        // The momentum buffers agree too: the next step would be identical.
        Checkpoint a = Checkpoint.read(dir.resolve("straight.ckpt")), b = Checkpoint.read(dir.resolve("resumed.ckpt"));
        for (String k : a.optimizer().tensors().keySet()) {
            assertArrayEquals(a.optimizer().tensors().get(k).toArray(), b.optimizer().tensors().get(k).toArray(), k);
        }
        assertSameFigures(a.progress().history(), b.progress().history());
    }

    @Test
    void resumeInTheMiddleOfAnEpochGivesBitIdenticalWeights() throws IOException {
        DataSplits data = SyntheticData.splits(64, 32, 6); // 4 batches per epoch
        TrainConfig cfg = config(2).toBuilder().checkpointEvery(3).build();
        Graph straight = cnn(6);
        new Trainer(straight, cfg, data, dir.resolve("straight.ckpt"), Map.of()).run();

        Path f = dir.resolve("killed.ckpt");
        Trainer killed = new Trainer(cnn(6), cfg, data, f, Map.of()).listener(new TrainListener() {
            @Override public void onCheckpoint(Path file, int epoch, int batch) {
                if (epoch == 1 && batch == 3) throw new Kill();
            }
        });
        assertThrows(Kill.class, killed::run);
        Checkpoint saved = Checkpoint.read(f);
        assertEquals(1, saved.progress().epoch());
        assertEquals(3, saved.progress().batch());
        assertEquals(7, saved.optimizer().step());
        Trainer resumed = Trainer.resume(saved, f, data, f);
        List<Integer> batches = new ArrayList<>();
        resumed.listener(new TrainListener() {
            @Override public void onBatch(BatchEvent e) {
                batches.add(e.batch());
            }
        }).run();
        assertEquals(List.of(3), batches, "a resumed run continues with the next batch only");
        assertSameState(straight, resumed.graph());
        assertEquals(48, saved.progress().current().samples(), "three batches of 16 before the kill");
        List<EpochRecord> resumedHistory = Checkpoint.read(f).progress().history();
        assertSameFigures(Checkpoint.read(dir.resolve("straight.ckpt")).progress().history(), resumedHistory);
        assertTrue(resumedHistory.get(1).seconds() >= saved.progress().current().seconds(),
                "the interrupted epoch's time includes the part before the kill");
    }

    /** The resumed run's epoch figures equal the uninterrupted run's (all but the time, which is measured). */
    static void assertSameFigures(List<EpochRecord> expected, List<EpochRecord> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            EpochRecord e = expected.get(i), a = actual.get(i);
            assertEquals(new EpochRecord(e.epoch(), e.trainLoss(), e.trainTop1(), e.testLoss(), e.testTop1(), e.testTop5(), 0),
                    new EpochRecord(a.epoch(), a.trainLoss(), a.trainTop1(), a.testLoss(), a.testTop1(), a.testTop5(), 0),
                    "epoch " + (i + 1));
        }
    }

    /** A run saved mid-epoch by the build that wrote format version 1 resumes; its history starts with the resumed epoch. */
    @Test
    void resumesAFormatVersion1Checkpoint() throws IOException {
        Path digits = dev.apoptosis.data.DataPaths.dataRoot().resolve("digits/digits.csv.gz");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(digits), "digits data absent: " + digits);
        Path v1 = Path.of("src/test/resources/fixtures/checkpoint/v1-mlp-digits.ckpt");
        Path out = dir.resolve("continued.ckpt");
        Checkpoint c = Checkpoint.read(v1);
        Trainer t = Trainer.resume(c, v1, dev.apoptosis.data.DataSpec.parse("digits").load(), out);
        TrainResult r = t.run();
        Checkpoint done = Checkpoint.read(out);
        assertEquals(3, done.progress().epoch());
        assertEquals(List.of(2, 3), done.progress().history().stream().map(EpochRecord::epoch).toList());
        assertEquals(r.test().top1(), done.progress().history().get(1).testTop1());
        assertEquals(dev.apoptosis.checkpoint.CheckpointFormat.VERSION, java.nio.ByteBuffer.wrap(Files.readAllBytes(out), 8, 4).getInt(), "written in the current format");
    }

    @Test
    void divergenceStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint() throws IOException {
        DataSplits data = SyntheticData.splits(64, 32, 6);
        Path f = dir.resolve("div.ckpt");
        Graph g = cnn(6);
        Trainer t = new Trainer(g, config(3), data, f, Map.of()).listener(new TrainListener() {
            @Override public void onEpoch(EpochEvent e) {
                // Poison one weight after the first epoch's checkpoint: the next loss is NaN.
                if (e.epoch() == 0) g.parameter("fc.weight").value().setAt(0, Float.NaN);
            }
        });
        NonFiniteException e = assertThrows(NonFiniteException.class, t::run);
        assertTrue(e.getMessage().contains("epoch 2, batch 0"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        Checkpoint c = Checkpoint.read(f);
        assertEquals(1, c.progress().epoch());
        for (Tensor v : c.state().values()) assertTrue(NumericGuard.allFinite(v), "checkpoint holds a non-finite value");
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no stray temporary file");
        }
        assertTrue(e.getMessage().contains("the last good checkpoint is " + f + " (after epoch 1)"), e.getMessage());

        // Diverging right after a resume names the checkpoint it resumed from, with the same wording.
        Trainer resumed = Trainer.resume(c, f, data, f);
        resumed.graph().parameter("fc.weight").value().setAt(0, Float.NaN);
        NonFiniteException again = assertThrows(NonFiniteException.class, resumed::run);
        assertTrue(again.getMessage().contains("the last good checkpoint is " + f + " (after epoch 1)"), again.getMessage());
    }

    @Test
    void nonFiniteGradientIsFound() {
        Graph g = cnn(3);
        var v = dev.apoptosis.autodiff.ParamVector.zeros(g);
        v.set(2, Tensor.zeros(g.parameters().get(2).spec().shape()));
        assertEquals(null, NumericGuard.firstNonFinite(v));
        Tensor bad = Tensor.zeros(g.parameters().get(3).spec().shape());
        bad.setAt(bad.size() - 1, Float.POSITIVE_INFINITY);
        v.set(3, bad);
        assertEquals(g.parameters().get(3).name(), NumericGuard.firstNonFinite(v));
        assertFalse(NumericGuard.allFinite(Tensor.full(Float.NaN, 3)));
    }

    @Test
    void mismatchedModelAndDataAreClearErrors() {
        DataSplits data = SyntheticData.splits(64, 32, 6);
        String classes = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(cnn(5), config(1), data, dir.resolve("x"), Map.of())).getMessage();
        assertTrue(classes.contains("6 classes"), classes);
        GraphBuilder b = new GraphBuilder("wrong", 1);
        Graph g = b.build(b.add("fc", Linear.of(6), b.add("flat", new Flatten(), b.input("input", 1, 4, 4))));
        String shape = assertThrows(IllegalArgumentException.class, () -> new Trainer(g, config(1), data, dir.resolve("x"), Map.of())).getMessage();
        assertTrue(shape.contains("[1, 4, 4]") && shape.contains("[1, 8, 8]"), shape);
    }

    @Test
    void checkpointWithoutTrainingStateCannotBeResumed() throws IOException {
        Path f = dir.resolve("plain.ckpt");
        Checkpoint.of(cnn(6), Map.of(), null, null).write(f);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Trainer.resume(Checkpoint.read(f), f, SyntheticData.splits(64, 32, 6), f));
        assertTrue(e.getMessage().contains("cannot be resumed"), e.getMessage());
    }

    static void assertSameState(Graph expected, Graph actual) {
        Map<String, Tensor> a = expected.state(), b = actual.state();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k).toArray(), y = b.get(k).toArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), k + "[" + i + "] " + x[i] + " vs " + y[i]);
            }
        }
    }
}
