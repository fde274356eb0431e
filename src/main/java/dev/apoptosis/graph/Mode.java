package dev.apoptosis.graph;

/**
 * How a forward pass treats training-only behaviour.
 *
 * <ul>
 * <li>{@link #TRAIN}: BatchNorm uses batch statistics and updates its running statistics; Dropout is active.
 *     Only a training step should use it.</li>
 * <li>{@link #BATCH_STATS}: like TRAIN (batch statistics, active Dropout) but leaves every buffer untouched;
 *     importance passes use it, as OBA's reference estimates importance with the model in train mode.</li>
 * <li>{@link #EVAL}: running statistics, no Dropout.</li>
 * </ul>
 */
public enum Mode {
    TRAIN,
    BATCH_STATS,
    EVAL;

    public boolean usesBatchStatistics() {
        return this != EVAL;
    }

    public boolean updatesRunningStatistics() {
        return this == TRAIN;
    }

    public boolean dropoutActive() {
        return this != EVAL;
    }
}
