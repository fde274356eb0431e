package dev.apoptosis.cluster;

import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.data.Batch;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.StepComputation;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Data-parallel SGD steps on the cluster: each batch is cut into {@code shards} contiguous parts,
 * one task each; the driver combines the parts in shard order into the whole batch's step, and its
 * Trainer applies the update, checks for divergence and writes checkpoints as usual.
 *
 * <p><b>What equals the single-process step.</b> The loss and gradient are the shards' means
 * weighted by their sizes (float64), which is the global batch's mean to float rounding when the
 * shards' forward passes are those of the global batch, i.e. for models without BatchNorm or
 * Dropout. BatchNorm normalises each shard with its own statistics, as PyTorch's DDP without
 * SyncBatchNorm; its running statistics, though, are updated with the exact mean and variance of
 * all the batch's values (see {@link BatchNormMoments}), not an average of per-shard updates.
 * Dropout draws per shard from the step's seed, so its masks differ from one process's.
 *
 * <p><b>Cost.</b> Every step broadcasts the current model and runs one Spark job: the per-step
 * overhead that {@code bench cluster} measures and docs/cluster.md discusses.
 */
final class SparkTraining implements StepComputation {
    private final SparkCluster cluster;
    private final TrainShard task;
    private final int shards;

    SparkTraining(SparkCluster cluster, String dataSpec, int batchSize, long dataSeed, double labelSmoothing, int shards) {
        if (shards < 1) throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        this.cluster = cluster;
        this.task = new TrainShard(SharedData.spec(dataSpec), batchSize, dataSeed, labelSmoothing);
        this.shards = shards;
    }

    @Override
    public Result compute(Graph g, Batch b, SoftmaxCrossEntropy loss, long seed) {
        int n = b.size(), parts = Math.min(shards, n);
        if (n != task.batchSize()) {
            throw new IllegalArgumentException("cluster training: a batch of " + n + " samples, the loader's batches have " + task.batchSize());
        }
        List<int[]> ranges = new ArrayList<>();
        for (int s = 0; s < parts; s++) ranges.add(new int[] {s, (int) ((long) n * s / parts), (int) ((long) n * (s + 1) / parts)});
        JavaSparkContext sc = cluster.context();
        TrainShard t = task;
        int epoch = b.epoch(), index = b.index();
        Broadcast<byte[]> model = sc.broadcast(ModelBytes.of(g));
        List<ShardResult> results;
        try {
            results = sc.parallelize(ranges, parts).map(r -> t.run(model.value(), r[0], epoch, index, r[1], r[2], seed)).collect();
        } catch (Exception e) { // SparkException is checked but undeclared (Scala)
            throw new IllegalStateException("training step (epoch " + (epoch + 1) + ", batch " + index + ") failed on the cluster "
                    + cluster.master() + ": " + Failures.summary(e), e);
        } finally {
            model.destroy();
        }
        return combine(g, results, n);
    }

    /** The whole batch's step from its shards, added in shard order; BatchNorm running statistics of {@code g} updated. */
    static Result combine(Graph g, List<ShardResult> results, int n) {
        List<Parameter> params = g.parameters();
        double[][] grad = new double[params.size()][];
        double loss = 0;
        int classes = results.get(0).logits().length / results.get(0).samples();
        float[] logits = new float[n * classes];
        int at = 0;
        List<BatchNormMoments> moments = null;
        java.util.Map<String, Integer> slot = new java.util.HashMap<>();
        for (int i = 0; i < params.size(); i++) slot.put(params.get(i).name(), i);
        for (int s = 0; s < results.size(); s++) {
            ShardResult r = results.get(s);
            if (r.shard() != s) throw new IllegalStateException("shard " + r.shard() + " came back in place of shard " + s);
            if (!slot.keySet().equals(new java.util.HashSet<>(r.parameters()))) {
                throw new IllegalStateException("shard " + s + " has gradients of " + r.parameters() + ", the driver's model trains " + slot.keySet());
            }
            double w = (double) r.samples() / n;
            loss += w * r.loss();
            for (int j = 0; j < r.parameters().size(); j++) {
                float[] gi = r.gradient()[j];
                if (gi == null) continue;
                int i = slot.get(r.parameters().get(j));
                if (grad[i] == null) grad[i] = new double[gi.length];
                for (int k = 0; k < gi.length; k++) grad[i][k] += w * gi[k];
            }
            System.arraycopy(r.logits(), 0, logits, at, r.logits().length);
            at += r.logits().length;
            if (moments == null) {
                moments = new ArrayList<>(r.batchNorm());
            } else {
                for (int j = 0; j < moments.size(); j++) moments.set(j, moments.get(j).plus(r.batchNorm().get(j)));
            }
        }
        ParamVector gv = ParamVector.zeros(g);
        boolean finite = Double.isFinite(loss);
        for (int i = 0; i < grad.length; i++) {
            if (grad[i] == null) {
                gv.set(i, null);
                continue;
            }
            float[] f = new float[grad[i].length];
            for (int k = 0; k < f.length; k++) f[k] = (float) grad[i][k];
            gv.set(i, Tensor.wrap(f, params.get(i).value().shape()));
        }
        for (BatchNormMoments m : moments) m.applyTo(g);
        return new Result(loss, finite ? gv : null, Tensor.wrap(logits, new int[] {n, classes}));
    }
}
