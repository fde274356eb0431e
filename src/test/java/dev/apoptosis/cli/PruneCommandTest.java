package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.prune.StepRecord;
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

        // Two runs with the same seed make the same decisions.
        Path whole = dir.resolve("whole.ckpt"), part = dir.resolve("part.ckpt");
        assertEquals(0, TrainCommandTest.run("prune", "--model", dense.toString(), "--steps", "4", "--calib-batches", "2",
                "--out", whole.toString()).code());
        assertEquals(0, TrainCommandTest.run("prune", "--model", dense.toString(), "--steps", "4", "--calib-batches", "2",
                "--out", part.toString()).code());
        Checkpoint full = Checkpoint.read(part);
        String[] lines = full.metadata().get("prune.history").strip().split("\n");
        assertEquals(4, lines.length);
        assertEquals(Checkpoint.readGraph(whole).macs(), Checkpoint.readGraph(part).macs(), "deterministic for a seed");
    }
}
