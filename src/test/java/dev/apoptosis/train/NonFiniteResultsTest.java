package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 1: NaN outputs were counted as correct (a comparison with NaN is false, so nothing
 * ranked above the true class) and NaN losses were skipped, so a diverged model scored 100%.
 */
class NonFiniteResultsTest {
    @TempDir
    Path dir;

    @Test
    void aNaNRowIsNeverAHit() {
        Tensor logits = Tensor.wrap(new float[] {Float.NaN, Float.NaN, Float.NaN, 0f, 1f, 2f}, 2, 3);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> new Accuracy().add(logits, new int[] {0, 2}, 1.0));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        Tensor inf = Tensor.wrap(new float[] {Float.POSITIVE_INFINITY, 0f, 0f}, 1, 3);
        assertThrows(NonFiniteException.class, () -> new Accuracy().add(inf, new int[] {0}, 1.0));
    }

    @Test
    void aNaNLossIsNotSkipped() {
        Tensor logits = Tensor.wrap(new float[] {0f, 1f, 2f}, 1, 3);
        assertThrows(NonFiniteException.class, () -> new Accuracy().add(logits, new int[] {2}, Double.NaN));
    }

    @Test
    void evaluatingAModelWithOneNaNBiasIsAnError() {
        Graph g = TrainerTest.cnn(6);
        Parameter last = g.parameters().get(g.parameters().size() - 1);
        last.value().data()[last.value().offset()] = Float.NaN;
        DataSplits data = SyntheticData.splits(64, 64, 6);
        try (DataLoader loader = data.testLoader(16)) {
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> Evaluator.evaluate(g, loader));
            assertTrue(e.getMessage().contains("tiny") && e.getMessage().contains("batch 0"), e.getMessage());
        }
    }

    /** The run: one step of a whole-dataset batch at lr 1e30 exited 0 and recorded top-1 1.0. */
    @Test
    void theDivergenceGuardCatchesAHugeLearningRate() {
        DataSplits data = SyntheticData.splits(64, 32, 6);
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(64).lr(1e30).momentum(0).seed(1).build();
        Path out = dir.resolve("x.ckpt");
        Trainer t = new Trainer(TrainerTest.cnn(6), cfg, data, out, Map.of("model", "tiny"));
        NonFiniteException e = assertThrows(NonFiniteException.class, t::run);
        assertTrue(e.getMessage().startsWith("training diverged"), e.getMessage());
        assertFalse(Files.exists(out), "a diverged state was checkpointed");
    }
}
