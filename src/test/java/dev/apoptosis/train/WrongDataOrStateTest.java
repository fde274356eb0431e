package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.OptimizerState;
import dev.apoptosis.data.ByteImageDataset;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.data.Transform;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, item 5: data or state that was silently accepted and gave a wrong result that looked right. */
class WrongDataOrStateTest {
    @TempDir
    Path dir;

    private static ByteImageDataset oneLabel(String name, int n, int classes) {
        return new ByteImageDataset(name, new byte[n * 64], new int[n], new int[] {1, 8, 8}, classes, List.of(), 255);
    }

    /** All labels equal (one class folder) trained a "100%" one-class model. */
    @Test
    void trainingDataWithOneDistinctLabelIsRefused() {
        for (int classes : new int[] {1, 6}) {
            DataSplits data = new DataSplits("same", oneLabel("same/train", 32, classes), oneLabel("same/test", 8, classes),
                    Transform.identity(), Transform.identity());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(TrainerTest.cnn(classes), TrainerTest.config(1), data, dir.resolve("x.ckpt"), Map.of()));
            assertTrue(e.getMessage().contains("one class only") && e.getMessage().contains("same/train"), e.getMessage());
        }
    }

    /** A checkpoint missing a momentum buffer resumed without a word, to a different result. */
    @Test
    void aMissingMomentumBufferIsAnError() {
        GraphBuilder b = new GraphBuilder("lin", 1);
        Graph g = b.build(b.add("fc", Linear.of(3), b.input("x", 4)));
        OptimizerState partial = new OptimizerState("sgd", 5, Map.of("fc.weight", Tensor.zeros(3, 4)));
        Sgd sgd = new Sgd(g, new SgdConfig(0.9, 0, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(partial));
        assertTrue(e.getMessage().contains("fc.bias") && e.getMessage().contains("missing"), e.getMessage());
        new Sgd(g, new SgdConfig(0.9, 0, false)).loadState(new OptimizerState("sgd", 0, Map.of())); // before any step: none yet
        new Sgd(g, new SgdConfig(0, 0, false)).loadState(new OptimizerState("sgd", 5, Map.of())); // no momentum: none needed
    }
}
