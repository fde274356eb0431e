package dev.apoptosis.checkpoint;

/**
 * The running figures of an epoch interrupted by a mid-epoch checkpoint: samples seen, the sum of
 * their losses, top-1 and top-5 hits, and seconds spent. A resumed run starts the epoch's counters
 * from these, so its epoch record is the one an uninterrupted run would write (time aside).
 */
public record EpochSoFar(long samples, double lossSum, long top1, long top5, double seconds) {
    /** Nothing run yet: the state at an epoch boundary. */
    public static final EpochSoFar NONE = new EpochSoFar(0, 0, 0, 0, 0);

    public EpochSoFar {
        if (samples < 0 || top1 < 0 || top5 < 0 || top1 > samples || top5 > samples) {
            throw new IllegalArgumentException("epoch counters out of range: " + samples + " samples, " + top1 + " top-1 and "
                    + top5 + " top-5 hits");
        }
        if (!(seconds >= 0)) throw new IllegalArgumentException("seconds must be >= 0, got " + seconds);
    }
}
