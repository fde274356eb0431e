package dev.apoptosis.prune;

import dev.apoptosis.data.Batch;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.Scores;
import java.io.Serializable;
import java.util.List;

/**
 * The calibration batches of one pruning step and the canonical order in which their scores are
 * summed: the first {@code batches} batches of epoch {@code step} of the shuffled training loader
 * seeded by {@code seed}, cut into <b>blocks</b> of {@link #BLOCK} consecutive batches. A block's
 * scores are summed batch by batch from zero; the step's scores are the block sums added in block
 * order, again from zero.
 *
 * <p><b>Why blocks.</b> Float64 addition is not associative, so "the same scores" on one machine and
 * on a cluster needs one summation order that both follow. A block is the unit of work a cluster
 * hands to an executor, and its size does not depend on how many executors there are: a block is
 * summed the same way wherever it runs, and the driver adds the blocks in the same order as the
 * single-machine loop, so the scores are bit-identical on 1 thread, {@code local[2]} or a standalone
 * cluster. Changing {@link #BLOCK} changes the last bits of every score (not the estimate).
 */
public record Calibration(int step, int batches, int batchSize, long seed) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Batches per block: small enough to spread 200 calibration batches over tens of executors, large enough that a task's fixed cost is amortised. */
    public static final int BLOCK = 4;

    public Calibration {
        if (step < 0) throw new IllegalArgumentException("calibration step must be >= 0, got " + step);
        if (batches < 1) throw new IllegalArgumentException("calibration batches must be >= 1, got " + batches);
        if (batchSize < 1) throw new IllegalArgumentException("calibration batch size must be >= 1, got " + batchSize);
    }

    /** How many batches the step reads from {@code data}: {@link #batches}, or fewer if an epoch has fewer; an error if none. */
    public int available(DataSplits data) {
        try (DataLoader loader = data.trainLoader(batchSize, seed)) {
            int n = Math.min(batches, loader.batchesPerEpoch());
            if (n == 0) throw new IllegalArgumentException("no calibration batch: the training split of '" + data.name() + "' has fewer than "
                    + batchSize + " samples");
            return n;
        }
    }

    /** Number of blocks that cover {@code available} batches (the last may be shorter). */
    public static int blocks(int available) {
        return (available + BLOCK - 1) / BLOCK;
    }

    /**
     * The sum of block {@code block}'s batch scores (batches {@code block·BLOCK} up to, not including,
     * {@code min((block+1)·BLOCK, available)}), added from zero in batch order: what one executor task
     * computes.
     */
    public Scores block(Graph g, Criterion criterion, DataSplits data, int block, int available) {
        int first = block * BLOCK, end = Math.min(first + BLOCK, available);
        if (block < 0 || first >= available) throw new IllegalArgumentException("block " + block + " outside the " + blocks(available) + " blocks");
        Scores s = criterion.newScores(g);
        try (DataLoader loader = data.trainLoader(batchSize, seed); DataLoader.Epoch e = loader.epoch(step, first)) {
            for (int b = first; b < end; b++) {
                Batch batch = e.next();
                criterion.accumulate(g, batch.images(), batch.labels(), s);
            }
        }
        return s;
    }

    /** The step's scores from its block sums, given in block order: zero plus each block in turn. */
    public static Scores combine(Scores empty, List<Scores> blocksInOrder) {
        Scores total = empty.copy();
        for (Scores b : blocksInOrder) total.addAll(b);
        return total;
    }
}
