package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recalibration moves BatchNorm running statistics toward the data's and changes no weight. */
class RecalibrationTest {
    @Test
    void updatesRunningStatisticsOnlyAndIsDeterministic() throws IOException {
        DataSplits data = DataSpec.parse("digits-bundled").load();
        Graph g = ModelZoo.build("digits-cnn", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withSeed(3));
        Map<String, float[]> weights = new HashMap<>(), buffers = new HashMap<>();
        for (Parameter p : g.parameters()) weights.put(p.name(), p.value().toArray());
        for (Parameter p : g.buffers()) buffers.put(p.name(), p.value().toArray());
        assertEquals(4, Recalibration.run(g, data, 4, 32, 1));
        for (Parameter p : g.parameters()) assertArrayEquals(weights.get(p.name()), p.value().toArray(), p.name() + " unchanged");
        boolean moved = false;
        for (Parameter p : g.buffers()) moved |= !Arrays.equals(buffers.get(p.name()), p.value().toArray());
        assertFalse(!moved, "running statistics re-estimated");

        Graph h = ModelZoo.build("digits-cnn", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withSeed(3));
        Recalibration.run(h, data, 4, 32, 1);
        for (Parameter p : g.buffers()) assertArrayEquals(p.value().toArray(), h.parameter(p.name()).value().toArray(), "deterministic");
    }

    @Test
    void appliesOnlyWhereThereIsABatchNorm() {
        assertTrue(Recalibration.applies(ModelZoo.build("digits-cnn", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8))));
        assertFalse(Recalibration.applies(ModelZoo.build("mlp", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8))));
    }
}
