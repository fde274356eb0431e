package dev.apoptosis.importance;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Magnitude: a parameter matters as much as it is large, |θ_i| (norm 1) or θ_i² (norm 2). It needs
 * no data; each {@link #accumulate} call adds one batch of the current magnitudes (images and labels
 * may be null and are not read), so the mean is the magnitude itself.
 *
 * <p>Scores the weights and biases of Conv/Linear ({@code OpProperty.PARAMETER_LAYER}) nodes.
 */
public final class MagnitudeCriterion implements Criterion {
    private final int norm;

    MagnitudeCriterion(int norm) {
        if (norm != 1 && norm != 2) throw new IllegalArgumentException("magnitude: norm must be 1 or 2, got " + norm);
        this.norm = norm;
    }

    @Override
    public String name() {
        return "magnitude";
    }

    @Override
    public boolean needsData() {
        return false;
    }

    @Override
    public List<Parameter> scoredParameters(Graph g) {
        return CalibrationPass.select(g, CalibrationPass.PARAMETER_LAYERS, name(), "Conv/Linear parameter");
    }

    @Override
    public void accumulate(Graph g, Tensor images, int[] labels, Scores into) {
        Map<String, double[]> batch = new LinkedHashMap<>();
        for (Parameter p : scoredParameters(g)) {
            Tensor t = p.value();
            double[] s = new double[t.size()];
            for (int i = 0; i < s.length; i++) {
                double x = t.at(i);
                s[i] = norm == 1 ? Math.abs(x) : x * x;
            }
            batch.put(p.name(), s);
        }
        into.addBatch(batch);
    }
}
