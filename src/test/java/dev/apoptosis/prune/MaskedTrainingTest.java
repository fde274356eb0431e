package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.SgdConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Masks: masked weights and their momentum stay exactly zero through SGD; checkpoints keep masks; bad masks are refused. */
class MaskedTrainingTest {
    @TempDir
    Path dir;

    private static Graph mlp() {
        return ModelZoo.build("mlp", ModelOptions.defaults().withClasses(3).withInput(1, 2, 2).withWidth(5).withSeed(2));
    }

    @Test
    void maskedEntriesStayZeroThroughMomentumDecayAndNesterov() {
        Graph g = mlp();
        Parameter w = g.parameters().get(0);
        Tensor mask = Tensor.zeros(w.value().shape());
        for (int i = 0; i < mask.size(); i += 3) mask.setAt(i, 1f);
        w.setMask(mask);
        Sgd sgd = new Sgd(g, new SgdConfig(0.9, 5e-4, true));
        Random rng = new Random(1);
        for (int step = 0; step < 5; step++) {
            ParamVector grad = ParamVector.zeros(g);
            for (int i = 0; i < g.parameters().size(); i++) {
                grad.set(i, Tensor.randn(rng, 1f, g.parameters().get(i).value().shape()));
            }
            sgd.step(grad, 0.1);
        }
        Tensor buf = sgd.state().tensors().get(w.name());
        for (int i = 0; i < mask.size(); i++) {
            if (i % 3 == 0) {
                assertNotEquals(0f, w.value().at(i), "kept entry " + i + " trains");
            } else {
                assertEquals(0f, w.value().at(i), "masked entry " + i);
                assertEquals(0f, buf.at(i), "momentum of masked entry " + i);
            }
        }
    }

    @Test
    void checkpointsKeepMasksAndSurgerySlicesThem() throws IOException {
        Graph g = mlp();
        Parameter w = g.parameter("fc1.weight");
        Tensor mask = Tensor.zeros(w.value().shape());
        for (int i = 0; i < mask.size(); i += 2) mask.setAt(i, 1f);
        w.setMask(mask);
        Path f = dir.resolve("m.ckpt");
        Checkpoint.of(g, Map.of(), null, null).write(f);
        Graph back = Checkpoint.readGraph(f);
        assertEquals(mask.size() / 2 + mask.size() % 2, back.parameter("fc1.weight").keptEntries());

        DependencyGroups gs = DependencyGroups.of(back);
        Group hidden = gs.prunable().get(0);
        Surgery.Result r = Surgery.remove(gs, Map.of(hidden, new int[] {1}));
        Tensor sliced = r.graph().parameter("fc1.weight").mask();
        assertEquals(r.graph().parameter("fc1.weight").size(), sliced.size(), "the mask follows the surgery");
    }

    @Test
    void aMaskOfWrongShapeOrValuesIsRefused() {
        Parameter w = mlp().parameters().get(0);
        assertThrows(IllegalArgumentException.class, () -> w.setMask(Tensor.zeros(1)));
        Tensor half = Tensor.full(0.5f, w.value().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.setMask(half));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("only 0 and 1"), e.getMessage());
    }
}
