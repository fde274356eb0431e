package dev.apoptosis.importance;

import dev.apoptosis.graph.Mode;

/**
 * Where BatchNorm takes its mean and variance during an importance pass.
 *
 * <p>{@link #BATCH}: from the calibration batch itself ({@link Mode#BATCH_STATS}: running statistics
 * untouched, Dropout active), as OBA's reference scores with the model in train mode. Then BatchNorm's
 * own curvature cancels most of the series terms, and the out-channel sums of a conv followed by
 * BatchNorm fall to the level of BatchNorm's ε (oba-reference-notes §3.4, §11). {@link #RUNNING}:
 * from the running statistics ({@link Mode#EVAL}: BatchNorm is an affine map, Dropout off), where
 * a network of ReLU, pooling and additions is piecewise linear.
 */
public enum BatchNormStatistics {
    BATCH(Mode.BATCH_STATS),
    RUNNING(Mode.EVAL);

    private final Mode mode;

    BatchNormStatistics(Mode mode) {
        this.mode = mode;
    }

    /** The engine mode importance passes run in. */
    public Mode mode() {
        return mode;
    }
}
