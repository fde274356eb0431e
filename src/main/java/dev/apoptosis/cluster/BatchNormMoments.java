package dev.apoptosis.cluster;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.tensor.Tensor;
import java.io.Serializable;

/**
 * The per-channel moments of one BatchNorm layer's input over one shard of a batch: the count of
 * values per channel, their float64 mean and sum of squared deviations (M2). Shards' moments
 * combine exactly (Chan et al.'s parallel formula), so the driver can update the running
 * statistics with the mean and variance of the <em>whole</em> batch, as one process with the global
 * batch does, instead of averaging the shards' running statistics (which gets the variance wrong:
 * it misses the spread between the shards' means).
 */
record BatchNormMoments(String node, long count, double[] mean, double[] m2) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Moments of {@code x} [N, C, H, W] per channel, two-pass in float64. */
    static BatchNormMoments of(String node, Tensor x) {
        int n = x.dim(0), c = x.dim(1), plane = x.dim(2) * x.dim(3);
        float[] d = x.data();
        int off = x.offset();
        double[] mean = new double[c], m2 = new double[c];
        long count = (long) n * plane;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) for (int j = 0, at = off + (i * c + ch) * plane; j < plane; j++) s += d[at + j];
            double mu = s / count, q = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0, at = off + (i * c + ch) * plane; j < plane; j++) {
                    double e = d[at + j] - mu;
                    q += e * e;
                }
            }
            mean[ch] = mu;
            m2[ch] = q;
        }
        return new BatchNormMoments(node, count, mean, m2);
    }

    /** This and {@code o} as the moments of the union of their values. */
    BatchNormMoments plus(BatchNormMoments o) {
        if (!node.equals(o.node) || mean.length != o.mean.length) throw new IllegalArgumentException("moments of " + node + " and " + o.node);
        long n = count + o.count;
        double[] mu = new double[mean.length], q = new double[mean.length];
        for (int ch = 0; ch < mu.length; ch++) {
            double delta = o.mean[ch] - mean[ch];
            mu[ch] = mean[ch] + delta * o.count / n;
            q[ch] = m2[ch] + o.m2[ch] + delta * delta * ((double) count * o.count / n);
        }
        return new BatchNormMoments(node, n, mu, q);
    }

    /**
     * Updates the running statistics of BatchNorm node {@code node} of {@code g} with these moments,
     * by the op's own rule (running ← (1 − m)·running + m·batch value, the variance unbiased), from
     * the float32 mean and biased variance as the op's kernel rounds them.
     */
    void applyTo(Graph g) {
        Node n = g.node(node);
        if (!(n.op() instanceof BatchNorm2d bn)) throw new IllegalStateException(node + " is not a BatchNorm2d node");
        double m = bn.momentum();
        Tensor runMean = n.buffers().get(0).value(), runVar = n.buffers().get(1).value();
        for (int ch = 0; ch < mean.length; ch++) {
            float mu = (float) mean[ch], var = (float) (m2[ch] / count);
            runMean.setAt(ch, (float) ((1 - m) * runMean.at(ch) + m * mu));
            runVar.setAt(ch, (float) ((1 - m) * runVar.at(ch) + m * (double) var * count / (count - 1)));
        }
    }
}
