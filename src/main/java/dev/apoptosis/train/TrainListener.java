package dev.apoptosis.train;

import java.nio.file.Path;

/**
 * Observes a training run: the progress display is one listener; tests use others (for instance to
 * "kill" a run at a chosen point by throwing). All calls come from the training thread.
 */
public interface TrainListener {

    /**
     * One finished training step. {@code timedBatches}, {@code samples} and {@code seconds} count the
     * batches run since this epoch (re)started, which is fewer than {@code batch + 1} after a resume.
     */
    record BatchEvent(int epoch, int epochs, int batch, int batches, double loss, double runningLoss, double runningTop1,
                      double lr, int timedBatches, long samples, double seconds) {}

    /**
     * One finished epoch, after its checkpoint. {@code test} is null when there is no test set;
     * {@code seconds} is the epoch's computing time, summed over the processes that ran it.
     */
    record EpochEvent(int epoch, int epochs, double trainLoss, double trainTop1, EvalResult test, double seconds,
                      Path checkpoint) {}

    default void onStart(int startEpoch, int startBatch, int epochs, int batchesPerEpoch) {}

    default void onBatch(BatchEvent e) {}

    default void onCheckpoint(Path file, int epoch, int batch) {}

    default void onEpoch(EpochEvent e) {}

    /** The listener that ignores everything. */
    TrainListener NONE = new TrainListener() {};
}
