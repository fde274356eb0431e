package dev.apoptosis.prune;

import dev.apoptosis.data.Batch;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.Scores;

/**
 * Importance in this process: the step's calibration batches read in one pass of a prefetching
 * loader, summed into block sums that are added in block order ({@link Calibration}), which is the
 * order a cluster follows too.
 */
public final class LocalEstimation implements Estimation {
    private final DataSplits data;

    /** {@code data} may be null only for criteria that need no data. */
    public LocalEstimation(DataSplits data) {
        this.data = data;
    }

    @Override
    public Scores estimate(Graph g, Criterion criterion, Calibration c) {
        Scores total = criterion.newScores(g);
        if (!criterion.needsData()) {
            criterion.accumulate(g, null, null, total);
            return total;
        }
        if (data == null) throw new IllegalArgumentException("criterion " + criterion.name() + " needs calibration data");
        int available = c.available(data);
        // One loader for the whole step (its prefetching overlaps loading with scoring); the block
        // boundaries only decide where a block sum is closed and added to the total.
        try (DataLoader loader = data.trainLoader(c.batchSize(), c.seed()); DataLoader.Epoch e = loader.epoch(c.step())) {
            Scores block = null;
            for (int b = 0; b < available; b++) {
                if (b % Calibration.BLOCK == 0) block = criterion.newScores(g);
                Batch batch = e.next();
                criterion.accumulate(g, batch.images(), batch.labels(), block);
                if (b % Calibration.BLOCK == Calibration.BLOCK - 1 || b == available - 1) total.addAll(block);
            }
        }
        return total;
    }
}
