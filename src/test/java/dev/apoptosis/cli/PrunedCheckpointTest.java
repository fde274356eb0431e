package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.prune.DependencyGroups;
import dev.apoptosis.prune.Group;
import dev.apoptosis.prune.Surgery;
import dev.apoptosis.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruned checkpoints, structured and masked, go through info, eval and train --init like any other. */
class PrunedCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void structuredAndMaskedCheckpointsAreReadEvaluatedAndFineTuned() throws IOException {
        TrainCommandTest.assumeDigits();
        Path dense = dir.resolve("dense.ckpt");
        TrainCommandTest.trainMlp(dense, 1);
        Checkpoint c = Checkpoint.read(dense);

        // Structured: 12 of the first hidden layer's 32 units go.
        Graph g = c.toGraph();
        DependencyGroups groups = DependencyGroups.of(g);
        Group hidden = null;
        for (Group grp : groups.prunable()) if (hidden == null) hidden = grp;
        int[] gone = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22};
        Surgery.Result r = Surgery.remove(groups, Map.of(hidden, gone));
        Path pruned = dir.resolve("pruned.ckpt");
        Checkpoint.of(r.graph(), c.metadata(), null, null).write(pruned);

        var info = TrainCommandTest.run("info", pruned.toString(), "--layers");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("[20]"), "info --layers shows the new width:\n" + info.out());
        var eval = TrainCommandTest.run("eval", "--model", pruned.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        Path tuned = dir.resolve("tuned.ckpt");
        var ft = TrainCommandTest.run("train", "--init", pruned.toString(), "--epochs", "1", "--lr", "0.01", "--out", tuned.toString(),
                "--progress", "quiet");
        assertEquals(0, ft.code(), ft.err());
        assertEquals(r.graph().numParameters(), Checkpoint.readGraph(tuned).numParameters(), "fine-tuning keeps the pruned widths");

        // Masked: every other weight of every Linear layer.
        Graph m = c.toGraph();
        for (Parameter p : m.parameters()) {
            if (!p.name().endsWith(".weight")) continue;
            Tensor mask = Tensor.zeros(p.value().shape());
            for (int i = 0; i < mask.size(); i += 2) mask.setAt(i, 1f);
            p.setMask(mask);
        }
        Path masked = dir.resolve("masked.ckpt");
        Checkpoint.of(m, c.metadata(), null, null).write(masked);
        var minfo = TrainCommandTest.run("info", masked.toString(), "--layers");
        assertEquals(0, minfo.code(), minfo.err());
        assertTrue(minfo.out().contains("masks") && minfo.out().contains("sparsity"), minfo.out());
        Path mtuned = dir.resolve("mtuned.ckpt");
        var mft = TrainCommandTest.run("train", "--init", masked.toString(), "--epochs", "1", "--lr", "0.05", "--out", mtuned.toString(),
                "--progress", "quiet");
        assertEquals(0, mft.code(), mft.err());
        Checkpoint after = Checkpoint.read(mtuned);
        assertEquals(c.masks().size() + 3, after.masks().size(), "the masks travel with the fine-tuned model");
        Graph ag = after.toGraph();
        for (Parameter p : ag.parameters()) {
            if (p.mask() == null) continue;
            for (int i = 1; i < p.size(); i += 2) assertEquals(0f, p.value().at(i), p.name() + " entry " + i + " stays pruned");
            boolean moved = false;
            Tensor before = m.parameter(p.name()).value();
            for (int i = 0; i < p.size(); i += 2) moved |= p.value().at(i) != before.at(i);
            assertTrue(moved, p.name() + ": kept entries still train");
        }
    }
}
