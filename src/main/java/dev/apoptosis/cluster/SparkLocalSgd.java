package dev.apoptosis.cluster;

import dev.apoptosis.checkpoint.OptimizerState;
import dev.apoptosis.data.Batch;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.RoundComputation;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.StepComputation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Local SGD on the cluster ("parameters every K steps"): one Spark job per round of K batches
 * instead of one per batch. Every shard (a fixed share of each batch, as in {@link SparkTraining})
 * takes K SGD steps from the round's parameters and momentum; the driver then sets the parameters and
 * the momentum buffers to the shards' size-weighted means (float64, in shard order) and updates the
 * BatchNorm running statistics step by step with the whole batch's moments. With one shard this is
 * one process's SGD; with K = 1 it is gradient averaging; in between, the shards drift apart within a
 * round, which is the price of paying Spark's per-step cost once per K steps.
 */
final class SparkLocalSgd implements RoundComputation {
    private final SparkCluster cluster;
    private final RoundShard task;
    private final int period, shards;

    SparkLocalSgd(SparkCluster cluster, RoundShard task, int period, int shards) {
        if (period < 1) throw new IllegalArgumentException("local SGD rounds must be >= 1 step, got " + period);
        if (shards < 1) throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        this.cluster = cluster;
        this.task = task;
        this.period = period;
        this.shards = shards;
    }

    @Override
    public int period() {
        return period;
    }

    @Override
    public List<StepComputation.Result> round(Graph g, Sgd sgd, List<Batch> batches, double[] lrs, long[] seeds, SoftmaxCrossEntropy loss) {
        if (batches.isEmpty() || batches.size() > period) throw new IllegalArgumentException("a round of " + batches.size() + " batches, K = " + period);
        if (sgd.config().momentum() != task.momentum() || sgd.config().weightDecay() != task.weightDecay()
                || sgd.config().nesterov() != task.nesterov()) {
            throw new IllegalArgumentException("local SGD was set up for " + task + ", the Trainer's optimiser is " + sgd.config());
        }
        int n = batches.get(0).size(), parts = Math.min(shards, n), epoch = batches.get(0).epoch();
        int[] index = new int[batches.size()];
        for (int i = 0; i < index.length; i++) {
            Batch b = batches.get(i);
            if (b.size() != n || b.epoch() != epoch) throw new IllegalArgumentException("a round's batches must be of one size and one epoch");
            index[i] = b.index();
        }
        List<int[]> ranges = new ArrayList<>();
        for (int s = 0; s < parts; s++) ranges.add(new int[] {s, (int) ((long) n * s / parts), (int) ((long) n * (s + 1) / parts)});
        Map<String, float[]> startBuffers = new LinkedHashMap<>();
        sgd.state().tensors().forEach((name, t) -> startBuffers.put(name, t.toArray()));
        long step = sgd.steps();
        RoundShard t = task;
        JavaSparkContext sc = cluster.context();
        Broadcast<byte[]> model = sc.broadcast(ModelBytes.of(g));
        Broadcast<Map<String, float[]>> momentum = sc.broadcast(startBuffers);
        List<RoundShard.Result> results;
        try {
            results = sc.parallelize(ranges, parts)
                    .map(r -> t.run(model.value(), momentum.value(), step, r[0], epoch, index, r[1], r[2], lrs, seeds)).collect();
        } catch (Exception e) { // SparkException is checked but undeclared (Scala)
            throw new IllegalStateException("local SGD round (epoch " + (epoch + 1) + ", batches " + index[0] + "-" + index[index.length - 1]
                    + ") failed on the cluster " + cluster.master() + ": " + Failures.summary(e), e);
        } finally {
            model.destroy();
            momentum.destroy();
        }
        return combine(g, sgd, results, n, batches.size(), step);
    }

    /** Sets {@code g} and {@code sgd} to the shards' weighted means and returns each step's loss and logits. */
    static List<StepComputation.Result> combine(Graph g, Sgd sgd, List<RoundShard.Result> results, int n, int steps, long step) {
        for (int s = 0; s < results.size(); s++) {
            if (results.get(s).shard() != s) throw new IllegalStateException("shard " + results.get(s).shard() + " came back in place of shard " + s);
        }
        for (Parameter p : g.parameters()) {
            double[] mean = weightedMean(results, r -> r.parameters().get(p.name()), n, p.name());
            float[] d = p.value().data();
            int off = p.value().offset();
            for (int i = 0; i < mean.length; i++) d[off + i] = (float) mean[i];
        }
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        for (String name : results.get(0).buffers().keySet()) {
            double[] mean = weightedMean(results, r -> r.buffers().get(name), n, name);
            float[] f = new float[mean.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) mean[i];
            buffers.put(name, Tensor.wrap(f, g.parameter(name).spec().shape()));
        }
        sgd.loadState(new OptimizerState(Sgd.KIND, step + steps, buffers));
        List<StepComputation.Result> out = new ArrayList<>();
        for (int j = 0; j < steps; j++) {
            double loss = 0;
            int classes = results.get(0).logits().get(0).length / results.get(0).samples();
            float[] logits = new float[n * classes];
            int at = 0;
            List<BatchNormMoments> moments = null;
            for (RoundShard.Result r : results) {
                loss += (double) r.samples() / n * r.losses()[j];
                if (j >= r.logits().size()) {
                    loss = Double.NaN; // the shard stopped at a non-finite loss
                    continue;
                }
                System.arraycopy(r.logits().get(j), 0, logits, at, r.logits().get(j).length);
                at += r.logits().get(j).length;
                if (moments == null) {
                    moments = new ArrayList<>(r.batchNorm().get(j));
                } else {
                    for (int k = 0; k < moments.size(); k++) moments.set(k, moments.get(k).plus(r.batchNorm().get(j).get(k)));
                }
            }
            if (moments != null && Double.isFinite(loss)) for (BatchNormMoments m : moments) m.applyTo(g);
            out.add(new StepComputation.Result(loss, null, Tensor.wrap(logits, new int[] {n, classes})));
        }
        return out;
    }

    private static double[] weightedMean(List<RoundShard.Result> results, java.util.function.Function<RoundShard.Result, float[]> of, int n,
                                         String name) {
        double[] mean = null;
        for (RoundShard.Result r : results) {
            float[] v = of.apply(r);
            if (v == null) throw new IllegalStateException("shard " + r.shard() + " returned no " + name);
            if (mean == null) mean = new double[v.length];
            double w = (double) r.samples() / n;
            for (int i = 0; i < v.length; i++) mean[i] += w * v[i];
        }
        return mean;
    }
}
