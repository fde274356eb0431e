package dev.apoptosis.importance;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.List;

/**
 * The exact second-order Taylor term, s_i = θ_i · (H θ)_i with H the full Hessian of the batch loss
 * (the reference's FastOBA of order 2, oba-reference-notes §7): every curvature term is kept — the
 * loss's own (Gauss–Newton), products inside the network (OBA's), and every op's second derivative
 * (GELU, Softmax, LayerNorm, batch-statistics BatchNorm, BatchNorm's γ·x̂).
 *
 * <p>One curvature pass in {@code Curvature.EXACT} mode along v = θ on <b>all</b> trainable
 * parameters, BatchNorm and LayerNorm affine parameters, embeddings and tokens included; all of them
 * are scored (a pruner may ignore the ones it cannot remove). Signed per parameter.
 */
public final class ExactCriterion implements Criterion {
    private final BatchNormStatistics stats;
    private final long seed;

    ExactCriterion(BatchNormStatistics stats, long seed) {
        this.stats = stats;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public boolean needsData() {
        return true;
    }

    @Override
    public List<Parameter> scoredParameters(Graph g) {
        return CalibrationPass.select(g, p -> true, name(), "trainable parameter");
    }

    @Override
    public void accumulate(Graph g, Tensor images, int[] labels, Scores into) {
        List<Parameter> ps = scoredParameters(g);
        ParamVector v = CalibrationPass.direction(g, ps, false);
        try (Pass p = CalibrationPass.open(g, images, labels, stats.mode(), seed, name())) {
            ParamVector hv = p.curvatureProduct(v, Curvature.EXACT, false).product();
            into.addBatch(CalibrationPass.scores(g, ps, false, hv, null, 0));
        }
    }
}
