package dev.apoptosis.train;

import dev.apoptosis.autodiff.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.data.Batch;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import java.util.Map;

/**
 * Loss and top-1/top-5 accuracy of a classifier over a whole dataset, in {@link Mode#EVAL}
 * (running BatchNorm statistics, no Dropout) and without keeping activations for a backward pass.
 * The model is not changed.
 */
public final class Evaluator {
    private Evaluator() {}

    /** Evaluates {@code g} on every batch of epoch 0 of {@code loader} (use an unshuffled loader). */
    public static EvalResult evaluate(Graph g, DataLoader loader) {
        if (g.inputs().size() != 1) throw new IllegalArgumentException("evaluate: graph '" + g.name() + "' must have exactly one input");
        String input = g.inputs().get(0).name();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Accuracy acc = new Accuracy();
        try (DataLoader.Epoch epoch = loader.epoch(0)) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                try (Pass p = Pass.forward(g, Map.of(input, b.images()), Mode.EVAL, 0L, false)) {
                    double l = p.loss(loss, b.labels());
                    acc.add(p.output(), b.labels(), l);
                }
            }
        }
        return acc.result();
    }
}
