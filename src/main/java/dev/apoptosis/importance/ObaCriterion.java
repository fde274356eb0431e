package dev.apoptosis.importance;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.List;

/**
 * Optimal Brain Apoptosis (Sun et al., ICLR 2025): each parameter's share of the second-order
 * Taylor term of removing all prunable parameters at once, s_i = θ_i · (H̃ θ)_i, where H̃ keeps only
 * the curvature made by products inside the network — series connectivity (a layer's output reaches
 * a later layer's input) and parallel connectivity (two branches meet in a product, as in
 * attention) — and drops the Gauss–Newton part and every activation's second derivative.
 *
 * <p>Computed with one curvature pass in {@code Curvature.OBA} mode along v = θ on Conv/Linear
 * weights and biases (zero elsewhere), at the true activations (the clean semantics of
 * oba-reference-notes §3.3, not the released code's linearisation at the tangent, §3.4). On networks
 * of piecewise-linear ops this equals θ ⊙ ((H − G) θ) exactly. Cost: one forward, one tangent and one
 * reverse pass carrying adjoints and R-adjoints.
 *
 * <p>Options (reference §3.5): {@code delta0} adds the first-order term δ₀·θ_i·g_i (default 0, as in
 * every reference script); {@code self_unit_weight} multiplies by sign(θ_i) instead of θ_i (both
 * terms); {@code other_unit_weight} uses v_j = sign(θ_j) as the direction. Signed per parameter; the
 * prune package takes |·| of structure sums.
 *
 * <p>Scores the weights and biases of Conv/Linear ({@code OpProperty.PARAMETER_LAYER}) nodes; BatchNorm
 * and LayerNorm affine parameters are neither moved nor scored, as in the reference.
 */
public final class ObaCriterion extends LayerCriterion {
    private final double delta0;
    private final boolean selfUnit;
    private final boolean otherUnit;

    ObaCriterion(double delta0, boolean selfUnit, boolean otherUnit, BatchNormStatistics stats, long seed) {
        super(stats, seed);
        this.delta0 = delta0;
        this.selfUnit = selfUnit;
        this.otherUnit = otherUnit;
    }

    @Override
    public String name() {
        return "oba";
    }

    @Override
    public void accumulate(Graph g, Tensor images, int[] labels, Scores into) {
        List<Parameter> ps = scoredParameters(g);
        ParamVector v = CalibrationPass.direction(g, ps, otherUnit);
        try (Pass p = CalibrationPass.open(g, images, labels, stats.mode(), seed, name())) {
            Pass.CurvatureProduct r = p.curvatureProduct(v, Curvature.OBA, delta0 != 0);
            into.addBatch(CalibrationPass.scores(g, ps, selfUnit, r.product(), r.gradient(), delta0));
        }
    }
}
