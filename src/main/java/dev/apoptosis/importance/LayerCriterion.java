package dev.apoptosis.importance;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import java.util.List;

/**
 * What the data-driven criteria of Conv/Linear parameters share (taylor, obd, oba): they read
 * calibration batches, score the weights and biases of {@code OpProperty.PARAMETER_LAYER} nodes,
 * and run their passes with BatchNorm on the statistics {@code stats} chooses and Dropout seeded
 * from {@code seed} and the batch.
 */
abstract class LayerCriterion implements Criterion {
    final BatchNormStatistics stats;
    final long seed;

    LayerCriterion(BatchNormStatistics stats, long seed) {
        this.stats = stats;
        this.seed = seed;
    }

    @Override
    public final boolean needsData() {
        return true;
    }

    @Override
    public final List<Parameter> scoredParameters(Graph g) {
        return CalibrationPass.select(g, CalibrationPass.PARAMETER_LAYERS, name(), "Conv/Linear parameter");
    }
}
