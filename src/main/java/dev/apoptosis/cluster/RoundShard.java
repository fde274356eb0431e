package dev.apoptosis.cluster;

import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.checkpoint.OptimizerState;
import dev.apoptosis.data.Batch;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.SgdConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One executor's part of a round of local SGD: from the round's parameters and momentum, one SGD
 * step per batch of the round on samples {@code [from, to)} of that batch (built here from the data
 * spec, as {@link TrainShard} does), with the round's learning rates and seeds. Returns the shard's
 * final parameters and momentum by name, and per step its loss, logits and BatchNorm input moments.
 * Pure, like every task here: a retried round returns the same result.
 */
record RoundShard(String dataSpec, int batchSize, long dataSeed, double labelSmoothing, double momentum, double weightDecay,
                  boolean nesterov) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The shard's state after its round. */
    record Result(int shard, int samples, Map<String, float[]> parameters, Map<String, float[]> buffers, double[] losses,
                  List<float[]> logits, List<List<BatchNormMoments>> batchNorm) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    Result run(byte[] modelBytes, Map<String, float[]> startBuffers, long step, int shard, int epoch, int[] batches, int from, int to,
               double[] lrs, long[] seeds) {
        Graph g = ModelBytes.graph(modelBytes);
        Sgd sgd = new Sgd(g, new SgdConfig(momentum, weightDecay, nesterov));
        Map<String, Tensor> buf = new LinkedHashMap<>();
        startBuffers.forEach((name, v) -> buf.put(name, Tensor.wrap(v.clone(), g.parameter(name).spec().shape())));
        sgd.loadState(new OptimizerState(Sgd.KIND, step, buf));
        DataSplits data = ExecutorData.get(dataSpec);
        double[] losses = new double[batches.length];
        List<float[]> logits = new ArrayList<>();
        List<List<BatchNormMoments>> moments = new ArrayList<>();
        try (DataLoader loader = data.trainLoader(batchSize, dataSeed)) {
            for (int j = 0; j < batches.length; j++) {
                Batch b = loader.part(epoch, batches[j], from, to);
                // BATCH_STATS, as in TrainShard: the driver updates the running statistics from all shards' moments.
                try (Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), b.images()), Mode.BATCH_STATS, seeds[j], true)) {
                    losses[j] = p.loss(new SoftmaxCrossEntropy(labelSmoothing), b.labels());
                    List<BatchNormMoments> m = new ArrayList<>();
                    for (Node n : g.nodes()) {
                        if (n.op() instanceof BatchNorm2d) m.add(BatchNormMoments.of(n.name(), p.nodeOutput(n.inputs().get(0).name())));
                    }
                    moments.add(m);
                    logits.add(p.output().toArray());
                    // A non-finite loss ends the round here; the driver reports it as divergence.
                    if (!Double.isFinite(losses[j])) {
                        for (int k = j + 1; k < losses.length; k++) losses[k] = Double.NaN;
                        break;
                    }
                    sgd.step(p.backward(false).parameters(), lrs[j]);
                }
            }
        }
        Map<String, float[]> params = new LinkedHashMap<>();
        for (Parameter p : g.parameters()) params.put(p.name(), p.value().toArray());
        Map<String, float[]> buffers = new LinkedHashMap<>();
        sgd.state().tensors().forEach((name, t) -> buffers.put(name, t.toArray()));
        return new Result(shard, to - from, params, buffers, losses, logits, moments);
    }
}
