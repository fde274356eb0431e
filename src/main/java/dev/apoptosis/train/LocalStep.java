package dev.apoptosis.train;

import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.data.Batch;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import java.util.Map;

/** A training step in this process: one TRAIN-mode pass over the whole batch (the Trainer's default). */
public final class LocalStep implements StepComputation {
    @Override
    public Result compute(Graph g, Batch b, SoftmaxCrossEntropy lossFn, long seed) {
        try (Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), b.images()), Mode.TRAIN, seed, true)) {
            double loss = p.loss(lossFn, b.labels());
            // A non-finite loss is reported by the Trainer, before any update; its gradient is not needed.
            if (!Double.isFinite(loss)) return new Result(loss, null, p.output());
            return new Result(loss, p.backward(false).parameters(), p.output());
        }
    }
}
