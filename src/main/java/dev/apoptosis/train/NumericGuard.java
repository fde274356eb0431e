package dev.apoptosis.train;

import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.tensor.Tensor;

/**
 * Detects NaN and infinity: in gradients before an optimiser step can spread them into the weights,
 * and in the weights after a step (finite gradients times a huge learning rate can overflow).
 */
public final class NumericGuard {
    private NumericGuard() {}

    /** The name of the first parameter whose gradient holds a NaN or infinity, or null if all are finite. */
    public static String firstNonFinite(ParamVector grad) {
        for (int i = 0; i < grad.size(); i++) {
            Tensor t = grad.get(i);
            if (t != null && !allFinite(t)) return grad.parameter(i).name();
        }
        return null;
    }

    /** The name of the first parameter whose value holds a NaN or infinity, or null if all are finite. */
    public static String firstNonFiniteValue(java.util.List<dev.apoptosis.graph.Parameter> params) {
        for (dev.apoptosis.graph.Parameter p : params) {
            if (!allFinite(p.value())) return p.name();
        }
        return null;
    }

    /** True if every value is finite. */
    public static boolean allFinite(Tensor t) {
        float[] d = t.data();
        int off = t.offset(), n = t.size();
        // x - x is 0 for finite x and NaN for NaN or ±inf; summing keeps the loop branch-free.
        float acc = 0f;
        for (int i = 0; i < n; i++) acc += d[off + i] - d[off + i];
        return acc == 0f;
    }
}
