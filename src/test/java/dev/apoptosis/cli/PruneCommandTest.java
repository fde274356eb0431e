package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.prune.StepRecord;
import dev.apoptosis.runs.RunRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the digits: train, prune to 50% of the MACs, fine-tune; every criterion runs. */
class PruneCommandTest {
    @TempDir
    Path dir;

    private Path trained() {
        Path dense = dir.resolve("dense.ckpt");
        var r = TrainCommandTest.run("train", "--model", "mlp", "--width", "64", "--data", "digits", "--epochs", "5", "--batch", "64",
                "--lr", "0.05", "--seed", "3", "--out", dense.toString(), "--progress", "quiet");
        assertEquals(0, r.code(), r.err());
        return dense;
    }

    @Test
    void obaToHalfTheMacsThenFineTuningKeepsAccuracyWithinThreePoints() throws IOException {
        TrainCommandTest.assumeDigits();
        Path dense = trained();
        double denseTop1 = Double.parseDouble(Checkpoint.read(dense).metadata().get(Checkpoint.Meta.TOP1));
        Path out = dir.resolve("pruned.ckpt");
        Path run = dir.resolve("run");
        var r = TrainCommandTest.run("prune", "--model", dense.toString(), "--criterion", "oba", "--target-macs", "0.5", "--steps", "5",
                "--calib-batches", "4", "--finetune-epochs", "3", "--finetune-lr", "0.01", "--out", out.toString(), "--run-dir", run.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("recalibrated"), "no BatchNorm in an MLP, so nothing to recalibrate: " + r.out());
        Checkpoint c = Checkpoint.read(out);
        Graph g = c.toGraph();
        Graph d = Checkpoint.readGraph(dense);
        assertTrue(g.macs() <= d.macs() / 2, "target met: " + g.macs() + " of " + d.macs());
        assertTrue(g.macs() > d.macs() / 2 - 200, "within about one channel of the target: " + g.macs());
        double top1 = Double.parseDouble(c.metadata().get(Checkpoint.Meta.TOP1));
        assertTrue(top1 >= denseTop1 - 0.03, "fine-tuned " + top1 + " vs dense " + denseTop1);
        assertTrue(c.metadata().get("prune.settings").contains("\"criterion\":\"oba\""), c.metadata().toString());
        assertEquals(5, c.metadata().get("prune.history").strip().split("\n").length);
        assertEquals(5, Files.readAllLines(run.resolve("steps.jsonl")).size());
        StepRecord last = StepRecord.fromJson(Files.readAllLines(run.resolve("steps.jsonl")).get(4));
        assertEquals(g.macs(), last.macs());
        assertTrue(Files.readString(run.resolve("run.json")).contains("\"top1_before\""));
        RunRecords records = RunRecords.read(run);
        assertFalse(records.interrupted());
        assertEquals("oba", records.info().criterion());
        assertEquals(denseTop1, records.info().top1Before(), 1e-12);
        assertEquals(3, records.finetune().get(0).epochs());
        assertEquals(top1, records.finetune().get(0).top1Finetuned(), 1e-12);
        assertEquals(3, records.layers().size(), "fc1, fc2, fc3 of the mlp");
        assertEquals(64, records.layers().get(0).channelsBefore());
        assertEquals(g.node("fc1").outputShape()[0], records.layers().get(0).channelsAfter());
    }

    @Test
    void iterativeTargetsWriteOneCheckpointEach() throws IOException {
        TrainCommandTest.assumeDigits();
        Path dense = trained();
        Path out = dir.resolve("it.ckpt");
        var r = TrainCommandTest.run("prune", "--model", dense.toString(), "--criterion", "taylor", "--target-macs", "0.7,0.4", "--steps", "3",
                "--calib-batches", "2", "--finetune-epochs", "1", "--finetune-lr", "0.01", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        long base = Checkpoint.readGraph(dense).macs();
        assertTrue(Checkpoint.readGraph(dir.resolve("it-0.7.ckpt")).macs() <= 0.7 * base);
        assertTrue(Checkpoint.readGraph(dir.resolve("it-0.4.ckpt")).macs() <= 0.4 * base);
        assertEquals(Checkpoint.readGraph(dir.resolve("it-0.4.ckpt")).macs(), Checkpoint.readGraph(out).macs());
        var bad = TrainCommandTest.run("prune", "--model", dense.toString(), "--target-macs", "0.4,0.7", "--out", dir.resolve("x.ckpt").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("must decrease"), bad.err());
        var choice = TrainCommandTest.run("prune", "--model", dense.toString(), "--reduction", "median", "--out", dir.resolve("y.ckpt").toString());
        assertEquals(2, choice.code());
        assertTrue(choice.err().contains("--reduction must be one of [mean, sum, max], got 'median'"), choice.err());
        // A checkpoint that claims prune settings but lacks the rest of the state is refused by name.
        Checkpoint half = Checkpoint.read(dense).withMetadata("prune.settings", "{\"criterion\":\"oba\"}");
        Path halfFile = dir.resolve("half.ckpt");
        half.write(halfFile);
        var resumed = TrainCommandTest.run("prune", "--resume", halfFile.toString());
        assertEquals(2, resumed.code());
        assertTrue(resumed.err().contains("--resume " + halfFile + ": not a usable prune state"), resumed.err());
        long t0 = System.nanoTime();
        var proc = TrainCommandTest.run("prune", "--model", dense.toString(), "--out", "/proc/x.ckpt");
        assertEquals(2, proc.code());
        assertTrue(proc.err().contains("/proc/x.ckpt"), "an unwritable --out is named before any work: " + proc.err());
        assertTrue(System.nanoTime() - t0 < 5e9, "refused at once");
    }

    @Test
    void everyCriterionPrunesUnstructuredKeepsTheExactFractionAndRunsAreDeterministic() throws IOException {
        TrainCommandTest.assumeDigits();
        Path dense = trained();
        for (String crit : new String[] {"magnitude", "taylor", "obd", "oba", "exact"}) {
            Path out = dir.resolve(crit + ".ckpt");
            var r = TrainCommandTest.run("prune", "--model", dense.toString(), "--criterion", crit, "--steps", "2", "--calib-batches", "2",
                    "--out", out.toString());
            assertEquals(0, r.code(), crit + ": " + r.err());
            assertTrue(Checkpoint.readGraph(out).macs() <= Checkpoint.readGraph(dense).macs() / 2, crit);
        }
        Path u = dir.resolve("u.ckpt");
        var un = TrainCommandTest.run("prune", "--model", dense.toString(), "--unstructured", "--keep", "0.3", "--steps", "2",
                "--calib-batches", "2", "--out", u.toString());
        assertEquals(0, un.code(), un.err());
        Graph ug = Checkpoint.readGraph(u);
        long entries = 0, kept = 0;
        for (var p : ug.parameters()) {
            entries += p.size();
            kept += p.keptEntries();
        }
        assertEquals((long) Math.floor(0.3 * entries), kept, "the exact kept fraction");

        // A decreasing list of kept fractions prunes on from each to the next, one record per fraction.
        Path ul = dir.resolve("ulist.ckpt"), ulRun = dir.resolve("ulist-run");
        var list = TrainCommandTest.run("prune", "--model", dense.toString(), "--unstructured", "--keep", "0.5,0.2", "--steps", "2",
                "--calib-batches", "2", "--out", ul.toString(), "--run-dir", ulRun.toString());
        assertEquals(0, list.code(), list.err());
        var fractions = RunRecords.read(ulRun).finetune();
        assertEquals(2, fractions.size());
        assertEquals(0.5, fractions.get(0).target());
        assertEquals(0.2, fractions.get(1).target());
        long keptList = 0;
        for (var p : Checkpoint.readGraph(ul).parameters()) keptList += p.keptEntries();
        assertEquals((long) Math.floor(0.2 * entries), keptList, "the last fraction, exactly");
        var increasing = TrainCommandTest.run("prune", "--model", dense.toString(), "--unstructured", "--keep", "0.2,0.5",
                "--out", dir.resolve("bad.ckpt").toString());
        assertTrue(increasing.code() != 0 && increasing.err().contains("--keep must decrease"), increasing.err());

        // A run stopped after step 2 of 4 and resumed ends exactly where an uninterrupted run ends.
        Path whole = dir.resolve("whole.ckpt"), part = dir.resolve("part.ckpt");
        assertEquals(0, TrainCommandTest.run("prune", "--model", dense.toString(), "--steps", "4", "--calib-batches", "2",
                "--out", whole.toString()).code());
        Path partRun = dir.resolve("part-run");
        var stopped = TrainCommandTest.run("prune", "--model", dense.toString(), "--steps", "4", "--calib-batches", "2",
                "--out", part.toString(), "--stop-after", "2", "--run-dir", partRun.toString());
        assertEquals(0, stopped.code(), stopped.err());
        assertEquals("2", Checkpoint.read(part).metadata().get("prune.step"));
        RunRecords cut = RunRecords.read(partRun);
        assertTrue(cut.interrupted());
        assertEquals(2, cut.steps().size());
        var resumed = TrainCommandTest.run("prune", "--resume", part.toString(), "--run-dir", partRun.toString());
        assertEquals(0, resumed.code(), resumed.err());
        RunRecords done = RunRecords.read(partRun);
        assertFalse(done.interrupted());
        assertEquals(4, done.steps().size());
        assertEquals(64, done.layers().get(0).channelsBefore(), "the layers before are the dense model's, not the resumed checkpoint's");
        Checkpoint a = Checkpoint.read(whole), b = Checkpoint.read(part);
        assertEquals(4, b.metadata().get("prune.history").strip().split("\n").length);
        assertEquals(a.metadata().get("prune.history").replaceAll("Seconds\":[0-9.Ee-]+", ""),
                b.metadata().get("prune.history").replaceAll("Seconds\":[0-9.Ee-]+", ""), "same steps");
        for (var e : a.state().entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue().toArray(), b.state().get(e.getKey()).toArray(), e.getKey());
        }
    }
}
