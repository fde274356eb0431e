package dev.apoptosis.importance;

import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.List;

/**
 * First-order Taylor: s_i = θ_i · g_i, with g = ∂L/∂θ on the batch (signed, per parameter; a
 * structure's score is the absolute value of its summed entries, which the prune package forms).
 * Removing θ_i changes the loss by about −θ_i g_i; the sign convention follows the reference (+θ·g).
 *
 * <p>Scores the weights and biases of Conv/Linear ({@code OpProperty.PARAMETER_LAYER}) nodes. One
 * forward and one backward pass per batch.
 */
public final class TaylorCriterion extends LayerCriterion {

    TaylorCriterion(BatchNormStatistics stats, long seed) {
        super(stats, seed);
    }

    @Override
    public String name() {
        return "taylor";
    }

    @Override
    public void accumulate(Graph g, Tensor images, int[] labels, Scores into) {
        List<Parameter> ps = scoredParameters(g);
        try (Pass p = CalibrationPass.open(g, images, labels, stats.mode(), seed, name())) {
            ParamVector grad = p.backward(false).parameters();
            into.addBatch(CalibrationPass.scores(g, ps, false, grad, null, 0));
        }
    }
}
