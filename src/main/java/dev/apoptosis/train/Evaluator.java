package dev.apoptosis.train;

import dev.apoptosis.graph.Mode;
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
 *
 * <p>An output or a batch loss that is NaN or infinite stops the evaluation with a
 * {@link NonFiniteException} naming the batch: such a model has no accuracy to report, and counting
 * its samples as hits or skipping its losses would report one that looks like success.
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
                } catch (NonFiniteException e) {
                    throw new NonFiniteException("model '" + g.name() + "' gives non-finite results on batch " + b.index() + " of "
                            + loader.dataset().name() + ": " + e.getMessage() + "; its weights are not usable (diverged training?)");
                }
            }
        }
        return acc.result();
    }
}
