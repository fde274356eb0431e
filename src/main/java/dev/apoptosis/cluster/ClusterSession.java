package dev.apoptosis.cluster;

import dev.apoptosis.data.DataSplits;
import dev.apoptosis.prune.Estimation;
import dev.apoptosis.train.RoundComputation;
import dev.apoptosis.train.SgdConfig;
import dev.apoptosis.train.StepComputation;
import java.util.List;

/**
 * A connection to a cluster as the rest of the code sees it: no Spark type in sight, so holding one
 * does not load Spark. Obtained from {@link Cluster#open}; closing it stops the Spark context (and,
 * for {@code local[N]}, the embedded executors).
 */
public interface ClusterSession extends AutoCloseable {
    /** The master URL it was opened with. */
    String master();

    /** Executors registered now (for {@code local[N]}: 1, the driver's own). */
    int executors();

    /** Task slots available now (cores of the registered executors; N for {@code local[N]}). */
    int slots();

    /**
     * Importance estimation over the executors: each reads the calibration batches of its blocks
     * from {@code dataSpec} (a spec every executor can read: bundled data or a shared path) and
     * scores them with the criterion {@code criterion} made with {@code criterionOptions}
     * ({@code KEY=VALUE} as {@code --criterion-option} takes them). {@code driverData} is the same
     * data loaded on the driver, which only counts the batches to plan the blocks.
     */
    Estimation estimation(DataSplits driverData, String dataSpec, String criterion, List<String> criterionOptions);

    /**
     * Data-parallel training steps for a {@link dev.apoptosis.train.Trainer}: each batch of the loader
     * {@code dataSpec}'s training split gives with {@code batchSize} and {@code dataSeed} is split over
     * {@link #slots} executor tasks (see {@code SparkTraining} for what equals a single-process step).
     */
    StepComputation training(String dataSpec, int batchSize, long dataSeed, double labelSmoothing);

    /**
     * Local SGD for a {@link dev.apoptosis.train.Trainer}'s {@code rounds}: each of {@link #slots}
     * shards takes {@code period} SGD steps with {@code sgd}'s settings, then parameters and momentum
     * are averaged (see {@code SparkLocalSgd}).
     */
    RoundComputation localSgd(String dataSpec, int batchSize, long dataSeed, double labelSmoothing, SgdConfig sgd, int period);

    @Override
    void close();
}
