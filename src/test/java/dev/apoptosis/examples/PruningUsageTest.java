package dev.apoptosis.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.DataPaths;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.prune.DependencyGroups;
import dev.apoptosis.prune.Group;
import dev.apoptosis.prune.Pruner;
import dev.apoptosis.train.TrainConfig;
import dev.apoptosis.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pruning example of the README, kept compiling and correct: groups, OBA pruning to half the MACs, a checkpoint. */
class PruningUsageTest {
    @TempDir
    Path dir;

    @Test
    void groupPruneAndSave() throws IOException {
        assumeTrue(Files.isRegularFile(DataPaths.dataRoot().resolve("digits/digits.csv.gz")), "digits data absent");
        DataSplits data = DataSpec.parse("digits").load();
        Graph trained = ModelZoo.build("mlp", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(64).withSeed(1));
        new Trainer(trained, TrainConfig.builder().epochs(3).batchSize(64).lr(0.05).build(), data, dir.resolve("dense.ckpt"),
                Map.of()).run();
        Path file = dir.resolve("pruned.ckpt");
        // --- README example begins ---
        for (Group g : DependencyGroups.of(trained).groups()) {        // what must be removed together
            System.out.println(g.name() + ": " + g.channels() + " channels, " + (g.prunable() ? "prunable" : g.reason()));
        }
        Pruner.Result r = Pruner.builder(trained, Criteria.create("oba"), data)
                .targetMacs(0.5).steps(5).calibrationBatches(4).batchSize(64).build().run();
        Checkpoint.of(r.graph(), Map.of(Checkpoint.Meta.MODEL, "mlp", Checkpoint.Meta.DATA, "digits"), null, null).write(file);
        System.out.println(r.before().macs() + " -> " + r.after().macs() + " MACs");   // a smaller graph, not a masked one
        // --- README example ends ---
        assertTrue(r.after().macs() <= r.before().macs() / 2);
        assertEquals(5, r.steps().size());
        assertEquals(r.after().macs(), Checkpoint.readGraph(file).macs());
    }
}
