package dev.apoptosis.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataPaths;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.train.EvalResult;
import dev.apoptosis.train.Evaluator;
import dev.apoptosis.train.TrainConfig;
import dev.apoptosis.train.TrainResult;
import dev.apoptosis.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training example of the README, kept compiling and correct: a zoo model trained from Java on
 * the digits, evaluated, and read back from its checkpoint.
 */
class TrainingUsageTest {
    @TempDir
    Path dir;

    @Test
    void trainEvaluateAndReload() throws IOException {
        assumeTrue(Files.isRegularFile(DataPaths.dataRoot().resolve("digits/digits.csv.gz")), "digits data absent");
        Path file = dir.resolve("mlp.ckpt");
        // --- README example begins ---
        DataSplits data = DataSpec.parse("digits").load();             // ../shared/datasets or $APOPTOSIS_DATA
        Graph model = ModelZoo.build("mlp", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withSeed(1));
        TrainConfig config = TrainConfig.builder().epochs(3).batchSize(64).lr(0.05).seed(1).build();
        TrainResult run = new Trainer(model, config, data, file,
                Map.of(Checkpoint.Meta.MODEL, "mlp", Checkpoint.Meta.DATA, "digits")).run();
        Graph reloaded = Checkpoint.readGraph(file);                    // architecture, weights, BatchNorm statistics
        EvalResult test;
        try (DataLoader loader = data.testLoader(256)) {
            test = Evaluator.evaluate(reloaded, loader);                  // loss, top-1, top-5
        }
        // --- README example ends ---
        assertTrue(test.top1() > 0.85, "three epochs of an MLP on the digits: " + test);
        assertEquals(run.test().top1(), test.top1(), "the checkpoint holds the trained model");
        assertEquals(run.test().loss(), test.loss(), 1e-6);
        assertEquals(3, run.epochs());
    }
}
