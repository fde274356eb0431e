package dev.apoptosis.cluster;

import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.Scores;
import dev.apoptosis.prune.Calibration;
import dev.apoptosis.prune.Estimation;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A step's importance on the cluster: the model is broadcast once (each executor fetches it once per
 * step, whatever its number of tasks), every {@link Calibration} block is one task, and the driver
 * adds the returned block sums in block order, which is the single-machine order: the scores are
 * bit-identical to {@link dev.apoptosis.prune.LocalEstimation}'s on the same graph (which must be in
 * the node order a rebuild gives, see {@link #requireCanonicalOrder}). A block whose executor is lost is
 * recomputed by Spark's task retry; {@code collect} keeps one result per partition, so it is
 * counted once. A criterion that needs no data is computed on the driver.
 */
final class SparkEstimation implements Estimation {
    private final SparkCluster cluster;
    private final DataSplits driverData;
    private final String dataSpec, criterion;
    private final List<String> criterionOptions;

    SparkEstimation(SparkCluster cluster, DataSplits driverData, String dataSpec, String criterion, List<String> criterionOptions) {
        this.cluster = cluster;
        this.driverData = driverData;
        this.dataSpec = SharedData.spec(dataSpec);
        this.criterion = criterion;
        this.criterionOptions = List.copyOf(criterionOptions);
    }

    @Override
    public Scores estimate(Graph g, Criterion c, Calibration calibration) {
        if (!c.name().equals(criterion)) {
            throw new IllegalArgumentException("cluster estimation was set up for criterion '" + criterion + "', asked to run '" + c.name() + "'");
        }
        Scores empty = c.newScores(g);
        if (!c.needsData()) {
            c.accumulate(g, null, null, empty);
            return empty;
        }
        requireCanonicalOrder(g);
        int available = calibration.available(driverData);
        int blocks = Calibration.blocks(available);
        ImportanceTask task = new ImportanceTask(dataSpec, criterion, criterionOptions, calibration, available);
        List<Integer> indices = new ArrayList<>();
        for (int b = 0; b < blocks; b++) indices.add(b);
        JavaSparkContext sc = cluster.context();
        Broadcast<byte[]> model = sc.broadcast(ModelBytes.of(g));
        List<BlockScores> results;
        try {
            // One partition per block, so a task is a block and partition order is block order.
            results = sc.parallelize(indices, blocks).map(b -> task.score(model.value(), b)).collect();
        } catch (Exception e) { // SparkException is checked but undeclared (Scala): catch it as Exception
            throw new IllegalStateException("importance of step " + calibration.step() + " failed on the cluster " + cluster.master() + ": "
                    + Failures.summary(e), e);
        } finally {
            model.destroy();
        }
        List<Scores> ordered = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            BlockScores r = results.get(b);
            if (r.block() != b) throw new IllegalStateException("block " + r.block() + " came back in place of block " + b);
            ordered.add(r.toScores(empty));
        }
        return Calibration.combine(empty, ordered);
    }

    /**
     * The executors rebuild the model from its checkpoint bytes, which orders the nodes as
     * {@code Graph.rebuild} does; a graph built in code (the model zoo) may be in another order, and a
     * node's adjoint summed from three or more consumers in another order differs in its last bits.
     * Every graph the Pruner hands over is a rebuilt one; anything else is refused rather than
     * silently scored in a different order from the single machine's.
     */
    private static void requireCanonicalOrder(Graph g) {
        List<dev.apoptosis.graph.Node> mine = g.nodes(), canonical = g.rebuild(java.util.Map.of(), java.util.Map.of()).nodes();
        for (int i = 0; i < mine.size(); i++) {
            if (!mine.get(i).name().equals(canonical.get(i).name())) {
                throw new IllegalArgumentException("model '" + g.name() + "' is not in the node order the executors rebuild it in (node "
                        + i + " is " + mine.get(i).name() + ", rebuilt " + canonical.get(i).name() + "): pass g.rebuild(Map.of(), Map.of()), "
                        + "as the Pruner does, so that every process sums in the same order");
            }
        }
    }
}
