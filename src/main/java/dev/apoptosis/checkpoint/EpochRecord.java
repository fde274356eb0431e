package dev.apoptosis.checkpoint;

/**
 * One finished epoch of a training run, as kept in its checkpoints' history: the running training
 * loss and top-1 accuracy over the epoch's batches (in training mode, with augmentation), the test
 * split's loss and accuracies after it (NaN without a test split), and the seconds spent computing it,
 * summed over the processes that ran it when the epoch was interrupted and resumed.
 *
 * @param epoch 1 for the first epoch
 */
public record EpochRecord(int epoch, double trainLoss, double trainTop1, double testLoss, double testTop1, double testTop5,
                          double seconds) {
    public EpochRecord {
        if (epoch < 1) throw new IllegalArgumentException("epoch numbers start at 1, got " + epoch);
        if (!(seconds >= 0)) throw new IllegalArgumentException("epoch " + epoch + ": seconds must be >= 0, got " + seconds);
    }

    /** True if a test split was evaluated after this epoch. */
    public boolean hasTest() {
        return !Double.isNaN(testTop1);
    }
}
