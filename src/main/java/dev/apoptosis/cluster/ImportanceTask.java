package dev.apoptosis.cluster;

import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.CriterionOptions;
import dev.apoptosis.prune.Calibration;
import java.io.Serializable;
import java.util.List;

/**
 * What an executor needs to score blocks of one step, minus the model (which travels as a broadcast):
 * the data spec, the criterion by name and options (a criterion is rebuilt, not serialised), the
 * step's calibration and how many batches it has. {@link #score} is one Spark task: pure, so a task
 * Spark retries after losing an executor returns the same block again and the driver, which takes
 * exactly one result per block, counts it once.
 */
record ImportanceTask(String dataSpec, String criterion, List<String> criterionOptions, Calibration calibration, int available)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    Criterion newCriterion() {
        CriterionOptions.Builder b = CriterionOptions.builder();
        for (String kv : criterionOptions) b.set(kv);
        return Criteria.create(criterion, b.build());
    }

    /** Block {@code block}'s sums on the model in {@code modelBytes}. */
    BlockScores score(byte[] modelBytes, int block) {
        Graph g = ModelBytes.graphOnce(modelBytes);
        DataSplits data = ExecutorData.get(dataSpec);
        return BlockScores.of(block, calibration.block(g, newCriterion(), data, block, available));
    }
}
