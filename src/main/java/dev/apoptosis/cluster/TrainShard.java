package dev.apoptosis.cluster;

import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.data.Batch;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One executor's part of a data-parallel training step: it builds samples {@code [from, to)} of the
 * step's batch itself (from the data spec, with the loader's order and augmentation, so they are the
 * samples the driver's loader would give) and runs the training forward and backward pass on them.
 * Pure: a retried task returns the same result, and the driver takes one result per shard.
 */
record TrainShard(String dataSpec, int batchSize, long dataSeed, double labelSmoothing) implements Serializable {
    private static final long serialVersionUID = 1L;

    ShardResult run(byte[] modelBytes, int shard, int epoch, int batch, int from, int to, long seed) {
        Graph g = ModelBytes.graph(modelBytes);
        DataSplits data = ExecutorData.get(dataSpec);
        Batch b;
        try (DataLoader loader = data.trainLoader(batchSize, dataSeed)) {
            b = loader.part(epoch, batch, from, to);
        }
        // BATCH_STATS: TRAIN's batch statistics and Dropout, but no buffer update (the driver updates the
        // running statistics from all shards' moments) and no in-place outputs, so every BatchNorm
        // input can still be read after the forward pass, whatever op follows it.
        try (Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), b.images()), Mode.BATCH_STATS, seed, true)) {
            double loss = p.loss(new SoftmaxCrossEntropy(labelSmoothing), b.labels());
            // Moments before the backward pass: it may reuse activation buffers.
            List<BatchNormMoments> moments = new ArrayList<>();
            for (Node n : g.nodes()) {
                if (n.op() instanceof BatchNorm2d) moments.add(BatchNormMoments.of(n.name(), p.nodeOutput(n.inputs().get(0).name())));
            }
            float[][] grad = new float[g.parameters().size()][];
            List<String> names = new ArrayList<>();
            for (dev.apoptosis.graph.Parameter q : g.parameters()) names.add(q.name());
            if (Double.isFinite(loss)) {
                ParamVector gv = p.backward(false).parameters();
                for (int i = 0; i < grad.length; i++) {
                    Tensor t = gv.get(i);
                    grad[i] = t == null ? null : t.toArray();
                }
            }
            return new ShardResult(shard, to - from, loss, names, grad, p.output().toArray(), moments);
        }
    }
}
