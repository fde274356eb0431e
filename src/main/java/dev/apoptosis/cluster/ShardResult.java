package dev.apoptosis.cluster;

import java.io.Serializable;
import java.util.List;

/**
 * What one executor returns for its shard of a training batch: the shard's size, its mean loss, the
 * gradient of that mean loss for every trainable parameter, named (the executor's copy of the model
 * may list parameters in another order than the driver's; null: zero), its logits and the BatchNorm
 * input moments. Everything the driver needs to build the whole batch's step.
 */
record ShardResult(int shard, int samples, double loss, List<String> parameters, float[][] gradient, float[] logits,
                   List<BatchNormMoments> batchNorm)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
