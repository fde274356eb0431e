package dev.apoptosis.train;

import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.data.Batch;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;

/**
 * Where the {@link Trainer} gets a step's loss and gradient: the TRAIN-mode forward and backward
 * pass of one batch, here ({@link LocalStep}) or split over a cluster's executors
 * ({@code dev.apoptosis.cluster}). The Trainer keeps everything else (the optimiser, checks for
 * divergence, checkpoints, resuming), so a run's bookkeeping is the same wherever its gradients
 * come from.
 */
public interface StepComputation {
    /** The batch's mean loss, its gradient for every trainable parameter (null slot: zero) and the logits [N, classes]. */
    record Result(double loss, ParamVector gradient, Tensor output) {}

    /**
     * Computes batch {@code b}'s step on {@code g} with {@code seed} for any random draws (Dropout).
     * The parameters are not changed; BatchNorm running statistics are updated as a TRAIN-mode
     * forward pass of the batch updates them.
     */
    Result compute(Graph g, Batch b, SoftmaxCrossEntropy loss, long seed);
}
