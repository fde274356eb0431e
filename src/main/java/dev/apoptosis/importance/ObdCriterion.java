package dev.apoptosis.importance;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Optimal Brain Damage with the Gauss–Newton (Fisher) diagonal: s_i = ½ θ_i² G_ii, the loss change
 * of removing θ_i alone when the curvature is G = Jᵀ H_ℓ J (positive semi-definite, so s_i ≥ 0 up to
 * the estimate's noise).
 *
 * <p>The diagonal is never formed: Hutchinson's estimator averages z ⊙ (G z) over random vectors z of
 * independent ±1 entries on the scored parameters (zero elsewhere), since E[z_i (G z)_i] = G_ii. Each
 * probe is one curvature pass in {@code Curvature.GAUSS_NEWTON} mode on the batch's forward pass; the
 * estimate's variance per entry is Σ_{j≠i} G_ij² / probes. The probes of a batch are drawn from a
 * generator seeded by the option seed and the batch's contents (see {@link Criterion}).
 *
 * <p>Scores the weights and biases of Conv/Linear ({@code OpProperty.PARAMETER_LAYER}) nodes; the
 * diagonal is that of G restricted to them.
 */
public final class ObdCriterion extends LayerCriterion {
    private final int probes;

    ObdCriterion(int probes, BatchNormStatistics stats, long seed) {
        super(stats, seed);
        if (probes < 1) throw new IllegalArgumentException("obd: probes must be at least 1, got " + probes);
        this.probes = probes;
    }

    @Override
    public String name() {
        return "obd";
    }

    @Override
    public void accumulate(Graph g, Tensor images, int[] labels, Scores into) {
        List<Parameter> ps = scoredParameters(g);
        Map<String, double[]> diag = new LinkedHashMap<>();
        for (Parameter p : ps) diag.put(p.name(), new double[p.size()]);
        try (Pass pass = CalibrationPass.open(g, images, labels, stats.mode(), seed, name())) {
            Random rng = new Random(CalibrationPass.seed(seed ^ 0x0BDL, images, labels));
            for (int k = 0; k < probes; k++) {
                ParamVector z = ParamVector.zeros(g);
                for (Parameter p : ps) {
                    Tensor t = Tensor.zeros(p.spec().shape());
                    for (int i = 0; i < t.size(); i++) t.setAt(i, rng.nextBoolean() ? 1f : -1f);
                    z.set(g.parameterIndex(p), t);
                }
                ParamVector gz = pass.curvatureProduct(z, Curvature.GAUSS_NEWTON, false).product();
                for (Parameter p : ps) {
                    int slot = g.parameterIndex(p);
                    Tensor zt = z.get(slot), gt = gz.get(slot);
                    if (gt == null) continue; // G z is zero on this block (nothing downstream of it reaches the loss)
                    double[] d = diag.get(p.name());
                    for (int i = 0; i < d.length; i++) d[i] += (double) zt.at(i) * gt.at(i);
                }
            }
        }
        Map<String, double[]> batch = new LinkedHashMap<>();
        for (Parameter p : ps) {
            double[] d = diag.get(p.name());
            Tensor th = p.value();
            for (int i = 0; i < d.length; i++) {
                double t = th.at(i);
                d[i] = 0.5 * t * t * (d[i] / probes);
            }
            batch.put(p.name(), d);
        }
        into.addBatch(batch);
    }
}
