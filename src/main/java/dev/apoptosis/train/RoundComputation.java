package dev.apoptosis.train;

import dev.apoptosis.data.Batch;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import java.util.List;

/**
 * Steps taken a round at a time: every worker runs {@link #period} SGD steps on its own share of
 * each batch from the round's starting parameters and optimiser state, then the parameters and
 * momentum are averaged (local SGD, "parameters every K steps"). A cluster pays its per-step cost
 * once per round instead of once per step; the price is that the result is no longer one process's
 * SGD (except with one worker, or K = 1 where it is gradient averaging). The {@link Trainer} runs
 * rounds aligned to multiples of {@link #period} within an epoch (the last one of an epoch may be
 * shorter) and checkpoints only between rounds.
 */
public interface RoundComputation {
    /** K: the most batches one round covers. */
    int period();

    /**
     * Runs one round over {@code batches} (at most {@link #period}) with learning rate {@code lrs[i]}
     * and random seed {@code seeds[i]} for batch i, starting from {@code g}'s parameters and
     * {@code sgd}'s state, and leaves both at the round's averaged result (BatchNorm running
     * statistics included, the optimiser's step count advanced by the number of batches). Returns
     * each batch's mean loss and logits as the workers saw them (gradients are not returned).
     */
    List<StepComputation.Result> round(Graph g, Sgd sgd, List<Batch> batches, double[] lrs, long[] seeds, SoftmaxCrossEntropy loss);
}
