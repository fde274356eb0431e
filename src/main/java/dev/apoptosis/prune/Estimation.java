package dev.apoptosis.prune;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.Scores;

/**
 * Where a pruning step's importance is computed: in this process ({@link LocalEstimation}) or spread
 * over a cluster ({@code dev.apoptosis.cluster}). Every implementation sums in the order
 * {@link Calibration} defines, so the {@link Pruner}'s decisions do not depend on which one runs.
 * The graph is not changed.
 */
public interface Estimation {
    /** The criterion's scores of {@code g} over the step's calibration batches (one data-free batch if the criterion needs no data). */
    Scores estimate(Graph g, Criterion criterion, Calibration calibration);
}
