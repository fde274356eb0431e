package dev.apoptosis.checkpoint;

import dev.apoptosis.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimiser's resumable state as a checkpoint stores it: the optimiser kind, the number of steps
 * taken, and its per-parameter tensors by parameter name (SGD: the momentum buffers).
 */
public record OptimizerState(String kind, long step, Map<String, Tensor> tensors) {
    public OptimizerState {
        if (kind == null || kind.isEmpty()) throw new IllegalArgumentException("optimiser state needs a kind");
        if (step < 0) throw new IllegalArgumentException("optimiser step must be >= 0, got " + step);
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
}
