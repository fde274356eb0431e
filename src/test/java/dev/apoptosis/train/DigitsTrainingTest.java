package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataPaths;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MaxPool2d;
import dev.apoptosis.graph.ops.ReLU;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on real data: a small CNN trained on the UCI digits (1497 train / 300 test, 8x8) must
 * reach a fixed test accuracy within seconds, and its checkpoint must evaluate to the same numbers.
 * Skipped only when the shared datasets folder is absent.
 */
class DigitsTrainingTest {
    @TempDir
    Path dir;

    static Graph smallCnn() {
        GraphBuilder b = new GraphBuilder("digits-cnn", 3);
        Node x = b.input("input", 1, 8, 8);
        x = b.add("conv1", Conv2d.of(16, 3, 1, 1, false), x);
        x = b.add("pool1", new MaxPool2d(2), b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), x)));
        x = b.add("conv2", Conv2d.of(32, 3, 1, 1, false), x);
        x = b.add("pool2", new MaxPool2d(2), b.add("relu2", new ReLU(), b.add("bn2", new BatchNorm2d(), x)));
        return b.build(b.add("fc", Linear.of(10), b.add("flatten", new Flatten(), x)));
    }

    @Test
    void smallCnnLearnsDigitsToTheBar() throws IOException {
        Path file = DataPaths.dataRoot().resolve("digits").resolve("digits.csv.gz");
        assumeTrue(Files.isRegularFile(file), "digits data not found at " + file);
        DataSplits data = DataSpec.parse("digits").load();
        TrainConfig cfg = TrainConfig.builder().epochs(8).batchSize(32).lr(0.05).seed(1).build();
        Path ckpt = dir.resolve("digits.ckpt");
        long t0 = System.nanoTime();
        TrainResult r = new Trainer(smallCnn(), cfg, data, ckpt, Map.of(Checkpoint.Meta.DATA, "digits")).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("digits small CNN: %s in %.1f s%n", r.test(), seconds);
        assertEquals(300, r.test().samples());
        assertTrue(r.test().top1() >= 0.97, "digits test accuracy " + r.test() + " is below the 97% bar");
        assertTrue(seconds < 60, "training took " + seconds + " s");
        // The checkpoint alone reproduces the evaluation exactly.
        Graph reloaded = Checkpoint.read(ckpt).toGraph();
        try (DataLoader test = data.testLoader(64)) {
            EvalResult again = Evaluator.evaluate(reloaded, test);
            assertEquals(r.test().top1(), again.top1(), 0);
            assertEquals(r.test().loss(), again.loss(), 1e-9);
        }
    }
}
