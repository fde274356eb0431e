package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.checkpoint.OptimizerState;
import dev.apoptosis.checkpoint.TrainingProgress;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataPaths;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.data.Normalize;
import dev.apoptosis.train.ClassNames;
import dev.apoptosis.train.EvalResult;
import dev.apoptosis.train.Evaluator;
import dev.apoptosis.train.InputNormalization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The train and eval commands in-process: a real run, resume rules, and errors that name the option. */
class TrainCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        // Redirect before building the command line: picocli binds its writers to System.out/err then.
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            CommandLine cl = Main.newCommandLine();
            code = cl.execute(args);
            cl.getErr().flush();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assumeDigits() {
        assumeTrue(Files.isRegularFile(DataPaths.dataRoot().resolve("digits/digits.csv.gz")), "digits data absent");
    }

    /** A small MLP trained on the digits from scratch (width 32, batch 64, lr 0.05, seed 3) into {@code out}. */
    static Run trainMlp(Path out, int epochs) {
        Run r = run("train", "--model", "mlp", "--width", "32", "--data", "digits", "--epochs", Integer.toString(epochs),
                "--batch", "64", "--lr", "0.05", "--seed", "3", "--out", out.toString(), "--progress", "quiet");
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void runDirRecordsEveryEpochOnTheBundledDigits() throws IOException {
        Path ck = dir.resolve("b.ckpt"), runDir = dir.resolve("run");
        Run r = run("train", "--model", "digits-cnn", "--width", "4", "--data", "digits-bundled", "--epochs", "2", "--batch", "64",
                "--out", ck.toString(), "--run-dir", runDir.toString(), "--progress", "quiet");
        assertEquals(0, r.code(), r.err());
        dev.apoptosis.runs.RunRecords rec = dev.apoptosis.runs.RunRecords.read(runDir);
        assertEquals("train", rec.info().command());
        assertEquals("digits-bundled", rec.info().data());
        assertEquals("2", rec.info().settings().get("epochs"));
        assertEquals(2, rec.epochs().size());
        assertEquals(Double.parseDouble(Checkpoint.read(ck).metadata().get(Checkpoint.Meta.TOP1)), rec.epochs().get(1).testTop1(), 1e-12);
        Run again = run("train", "--model", "digits-cnn", "--data", "digits-bundled", "--epochs", "1", "--out", dir.resolve("c.ckpt").toString(),
                "--run-dir", runDir.toString(), "--progress", "quiet");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a run"), again.err());
    }

    @Test
    void trainThenResumeThenEvaluate() throws IOException {
        assumeDigits();
        Path ck = dir.resolve("mlp.ckpt");
        Run r = trainMlp(ck, 2);
        assertTrue(r.err().contains("done: 2 epochs"), r.err());
        Checkpoint c = Checkpoint.read(ck);
        assertEquals("mlp", c.metadata().get(Checkpoint.Meta.MODEL));
        assertEquals("digits", c.metadata().get(Checkpoint.Meta.DATA));
        assertEquals("3", c.metadata().get(Checkpoint.Meta.SEED));
        assertTrue(c.metadata().get(Checkpoint.Meta.PROVENANCE).startsWith("trained from scratch: apoptosis train --model mlp"),
                c.metadata().toString());
        assertEquals(2, c.progress().epoch());

        // Resuming a finished run has nothing left to do but is not an error; a conflicting setting is.
        Run same = run("train", "--resume", ck.toString(), "--lr", "0.05", "--progress", "quiet", "--out", dir.resolve("r.ckpt").toString());
        assertEquals(0, same.code(), same.err());
        // Issue 16, item 4: it said it wrote r.ckpt and wrote nothing; the finished state is written there.
        assertTrue(same.err().contains("checkpoint " + dir.resolve("r.ckpt")), same.err());
        assertEquals(2, Checkpoint.read(dir.resolve("r.ckpt")).progress().epoch());
        // The same run cut back to its first epoch resumes for one more; provenance counts epochs from 1.
        Path cut = dir.resolve("cut.ckpt");
        TrainingProgress p = c.progress();
        new Checkpoint(c.metadata(), c.graphName(), c.outputName(), c.nodes(), c.state(),
                new OptimizerState(c.optimizer().kind(), c.optimizer().step() / 2, c.optimizer().tensors()),
                new TrainingProgress(1, 0, p.config(), p.current(), p.history().subList(0, 1))).write(cut);
        Run more = run("train", "--resume", cut.toString(), "--progress", "quiet");
        assertEquals(0, more.code(), more.err());
        String prov = Checkpoint.read(cut).metadata().get(Checkpoint.Meta.PROVENANCE);
        assertTrue(prov.contains("; resumed after epoch 1: apoptosis train --resume"), prov);
        assertEquals(2, Checkpoint.read(cut).progress().epoch());
        assertEquals("in epoch 3 at batch 300", new TrainingProgress(2, 300, java.util.Map.of()).where());
        assertTrue(same.err().contains("top-1 " + String.format(java.util.Locale.ROOT, "%.2f%%", 100 * Double.parseDouble(c.metadata().get(Checkpoint.Meta.TOP1)))), same.err());
        Run conflict = run("train", "--resume", ck.toString(), "--lr", "0.2");
        assertEquals(2, conflict.code());
        assertTrue(conflict.err().contains("--lr") && conflict.err().contains("0.05"), conflict.err());

        Run clobber = run("train", "--model", "mlp", "--data", "digits", "--out", ck.toString());
        assertEquals(2, clobber.code());
        assertTrue(clobber.err().contains("--resume") && clobber.err().contains("--overwrite"), clobber.err());

        Run e = run("eval", "--model", ck.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("\"samples\":300"), e.out());
        assertEquals(Double.parseDouble(c.metadata().get(Checkpoint.Meta.TOP1)),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.out()).get("top1").asDouble(), 1e-12, e.out() + " vs " + c.metadata());
    }

    @Test
    void evalNormalisesInputsAsTheModelWasTrained() throws IOException {
        assumeDigits();
        Path ck = dir.resolve("norm.ckpt");
        trainMlp(ck, 1);
        Checkpoint c = Checkpoint.read(ck);
        DataSplits digits = DataSpec.parse("digits").load();
        Normalize own = digits.normalization();
        Normalize recorded = InputNormalization.recorded(c.metadata(), ck.toString());
        assertArrayEquals(own.mean(), recorded.mean());
        assertArrayEquals(own.std(), recorded.std());
        Run plain = run("eval", "--model", ck.toString(), "--json");
        assertEquals(0, plain.code(), plain.err());
        assertFalse(plain.err().contains("normalising inputs as in training"), plain.err());

        // A model trained on other statistics is fed those, whatever the data's own default: the oracle
        // evaluates the same graph directly on a loader with the recorded normalisation.
        Normalize other = new Normalize(new float[] {own.mean()[0] + 2f}, new float[] {own.std()[0] * 3f});
        Map<String, String> meta = new java.util.HashMap<>(c.metadata());
        InputNormalization.record(other, meta);
        Path moved = dir.resolve("moved.ckpt");
        new Checkpoint(meta, c.graphName(), c.outputName(), c.nodes(), c.state(), c.optimizer(), c.progress()).write(moved);
        Run e = run("eval", "--model", moved.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.err().contains("normalising inputs as in training (" + InputNormalization.describe(other) + ")"), e.err());
        EvalResult expected;
        try (DataLoader l = new DataSplits("digits", digits.train(), digits.test(), digits.trainTransform(), other).testLoader(256)) {
            expected = Evaluator.evaluate(Checkpoint.readGraph(moved), l);
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(expected.loss(), json.readTree(e.out()).get("loss").asDouble(), 1e-12, e.out() + " vs " + expected);
        assertEquals(expected.top1(), json.readTree(e.out()).get("top1").asDouble(), 1e-12, e.out() + " vs " + expected);
        assertNotEquals(expected.loss(), json.readTree(plain.out()).get("loss").asDouble(), 1e-6,
                "the shifted inputs must change the loss, or this test could not tell the normalisations apart");

        // Labels that mean other classes are refused, naming the first difference.
        assertEquals(digits.test().classNames(), ClassNames.recorded(c.metadata()), "training records the class names");
        Map<String, String> swapped = new java.util.HashMap<>(c.metadata());
        java.util.List<String> names = new java.util.ArrayList<>(digits.test().classNames());
        java.util.Collections.swap(names, 3, 4);
        ClassNames.record(names, swapped, "test");
        new Checkpoint(swapped, c.graphName(), c.outputName(), c.nodes(), c.state(), c.optimizer(), c.progress()).write(moved);
        Run classes = run("eval", "--model", moved.toString());
        assertEquals(2, classes.code());
        assertTrue(classes.err().contains("the class names differ (label 3 is '" + names.get(3) + "' for the model but '"
                + names.get(4) + "' in the data)"), classes.err());

        InputNormalization.record(new Normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1}), meta);
        new Checkpoint(meta, c.graphName(), c.outputName(), c.nodes(), c.state(), c.optimizer(), c.progress()).write(moved);
        Run rgb = run("eval", "--model", moved.toString());
        assertEquals(2, rgb.code());
        assertTrue(rgb.err().contains("was trained on 3-channel inputs but --data digits gives [1, 8, 8]"), rgb.err());
    }

    @Test
    void initStartsAFreshRunFromACheckpointsWeights() throws IOException {
        assumeDigits();
        Path trained = dir.resolve("trained.ckpt");
        trainMlp(trained, 3);
        double trainedTop1 = Double.parseDouble(Checkpoint.read(trained).metadata().get(Checkpoint.Meta.TOP1));
        assertTrue(trainedTop1 > 0.8, "the run to fine-tune from should have learned: " + trainedTop1);

        // A learning rate too small to move the weights: the fine-tuned model must keep the trained accuracy,
        // which a fresh initialisation (about 10 % on ten classes) cannot have.
        Path tuned = dir.resolve("tuned.ckpt");
        Run f = run("train", "--init", trained.toString(), "--epochs", "1", "--lr", "1e-9", "--seed", "4",
                "--out", tuned.toString(), "--progress", "quiet");
        assertEquals(0, f.code(), f.err());
        Checkpoint c = Checkpoint.read(tuned);
        assertEquals(trainedTop1, Double.parseDouble(c.metadata().get(Checkpoint.Meta.TOP1)), 0.01);
        assertEquals("mlp", c.metadata().get(Checkpoint.Meta.MODEL));
        assertEquals("32", c.metadata().get("width"));
        assertEquals("digits", c.metadata().get(Checkpoint.Meta.DATA), "the data spec comes from the checkpoint");
        assertEquals(1, c.progress().epoch(), "a fine-tuning run counts its own epochs");
        assertTrue(c.metadata().get(Checkpoint.Meta.PROVENANCE).contains("fine-tuned from " + trained), c.metadata().toString());

        Run withModel = run("train", "--init", trained.toString(), "--model", "mlp", "--out", dir.resolve("x.ckpt").toString());
        assertEquals(2, withModel.code());
        assertTrue(withModel.err().contains("--model cannot be combined with --init"), withModel.err());
        Run withResume = run("train", "--init", trained.toString(), "--resume", trained.toString());
        assertEquals(2, withResume.code());
        assertTrue(withResume.err().contains("--init cannot be combined with --resume"), withResume.err());
        Run missing = run("train", "--init", dir.resolve("absent.ckpt").toString(), "--out", dir.resolve("y.ckpt").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("absent.ckpt"), missing.err());
    }

    @Test
    void badOptionsAreNamed() throws IOException {
        String out = dir.resolve("x.ckpt").toString();
        Run epochs = run("train", "--model", "mlp", "--data", "digits", "--epochs", "0", "--out", out);
        assertEquals(2, epochs.code());
        assertTrue(epochs.err().contains("--epochs"), epochs.err());
        Run sched = run("train", "--model", "mlp", "--data", "digits", "--schedule", "step", "--out", out);
        assertTrue(sched.err().contains("--schedule"), sched.err());
        Run ms = run("train", "--model", "mlp", "--data", "digits", "--schedule", "multistep", "--out", out);
        assertTrue(ms.err().contains("--milestones"), ms.err());
        Run lr = run("train", "--model", "mlp", "--data", "digits", "--lr", "abc", "--out", out);
        assertTrue(lr.code() != 0 && lr.err().contains("--lr"), lr.err());
        Run noOut = run("train", "--model", "mlp", "--data", "digits");
        assertTrue(noOut.err().contains("--out"), noOut.err());
        Run model = run("train", "--model", "resnet18", "--data", "digits", "--out", out);
        assumeDigits();
        assertTrue(model.err().contains("resnet18") && model.err().contains("resnet20"), model.err());
        Run data = run("train", "--model", "mlp", "--data", "imagenet", "--out", out);
        assertTrue(data.err().contains("--data") && data.err().contains("imagenet"), data.err());
    }

    @Test
    void corruptCheckpointIsReportedWithItsName() throws IOException {
        Path f = dir.resolve("broken.ckpt");
        Files.write(f, new byte[100]);
        Run e = run("eval", "--model", f.toString(), "--data", "digits");
        assertEquals(2, e.code());
        assertTrue(e.err().contains("broken.ckpt"), e.err());
        Run r = run("train", "--resume", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("broken.ckpt"), r.err());
    }

    /** Issue 16, item 4: an unwritable --out failed only at the first checkpoint, after a whole epoch, naming a temporary file. */
    @Test
    void anUnwritableOutIsRefusedBeforeTraining() {
        assumeDigits();
        Run r = run("train", "--model", "mlp", "--data", "digits", "--epochs", "1", "--out", "/proc/x.ckpt", "--progress", "quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot write /proc/x.ckpt"), r.err());
        assertFalse(r.err().contains("training mlp"), "training started: " + r.err());
        assertFalse(r.err().contains(".tmp"), r.err());
    }
}
