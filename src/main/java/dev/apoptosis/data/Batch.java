package dev.apoptosis.data;

import dev.apoptosis.tensor.Tensor;

/**
 * One mini-batch: images [N, C, H, W] (already transformed), their labels, and where they came
 * from (the epoch, the batch's index within it, and each sample's index in the dataset).
 * A batch owns fresh storage; the loader never reuses it.
 */
public record Batch(Tensor images, int[] labels, int[] sampleIndices, int epoch, int index) {
    /** Number of samples N. */
    public int size() {
        return labels.length;
    }
}
