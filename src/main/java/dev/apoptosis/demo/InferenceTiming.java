package dev.apoptosis.demo;

import dev.apoptosis.bench.InferenceBench;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import java.util.List;

/**
 * The measured inference speed-up of a pruned model: batched forward passes (evaluation mode, no
 * activations kept) of the dense and the pruned model on the same batch, alternated pass by pass so
 * that whatever else loads the machine weighs on both alike, after twice as many warm-up passes (the
 * JIT compiler is still busy after the first few dozen: measured on the demo's models, the first
 * round of 30 gave ratios up to 5x, later rounds 1.5-1.7x); medians of the wall time.
 */
public record InferenceTiming(int batch, int reps, double denseMs, double prunedMs) {

    public double speedup() {
        return denseMs / prunedMs;
    }

    public static InferenceTiming measure(Graph dense, Graph pruned, Tensor input, int reps) {
        // InferenceBench alternates the two models pass by pass (rounds of one pass each) after the warm-up.
        List<InferenceBench.Row> rows = InferenceBench.run(List.of("dense", "pruned"), List.of(dense, pruned), List.of(input.shape()[0]),
                reps, 1, 2 * reps, null);
        return new InferenceTiming(input.shape()[0], reps, rows.get(0).oursMs(), rows.get(1).oursMs());
    }
}
