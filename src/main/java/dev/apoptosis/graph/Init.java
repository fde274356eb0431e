package dev.apoptosis.graph;

import dev.apoptosis.tensor.Tensor;
import java.util.Random;

/**
 * How a parameter is initialised. Fan-in and fan-out follow PyTorch's convention: for a weight of
 * shape [out, in, k...] fan-in = in·∏k and fan-out = out·∏k.
 */
public enum Init {
    ZEROS,
    ONES,
    /** Kaiming-normal, fan-out mode, ReLU gain: N(0, 2 / fan_out); the OBA paper's CIFAR models use it for convs. */
    KAIMING_NORMAL_FAN_OUT,
    /** Kaiming-normal, fan-in mode, ReLU gain: N(0, 2 / fan_in). */
    KAIMING_NORMAL_FAN_IN,
    /** PyTorch's default for Linear/Conv weights and biases: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    UNIFORM_FAN_IN,
    /** N(0, 0.02²), as ViT embeddings. */
    NORMAL_002;

    /** A new tensor of {@code shape} drawn from this scheme; {@code fanInShape} gives fan-in/out (the weight's shape for a bias). */
    public Tensor create(Random rng, int[] shape, int[] fanInShape) {
        int receptive = 1;
        for (int i = 2; i < fanInShape.length; i++) receptive *= fanInShape[i];
        int fanIn = fanInShape.length >= 2 ? fanInShape[1] * receptive : fanInShape[0];
        int fanOut = fanInShape[0] * receptive;
        return switch (this) {
            case ZEROS -> Tensor.zeros(shape);
            case ONES -> Tensor.full(1f, shape);
            case KAIMING_NORMAL_FAN_OUT -> Tensor.randn(rng, (float) Math.sqrt(2.0 / fanOut), shape);
            case KAIMING_NORMAL_FAN_IN -> Tensor.randn(rng, (float) Math.sqrt(2.0 / fanIn), shape);
            case UNIFORM_FAN_IN -> {
                float b = (float) (1.0 / Math.sqrt(fanIn));
                yield Tensor.uniform(rng, -b, b, shape);
            }
            case NORMAL_002 -> Tensor.randn(rng, 0.02f, shape);
        };
    }
}
