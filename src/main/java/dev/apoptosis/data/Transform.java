package dev.apoptosis.data;

import java.util.random.RandomGenerator;

/**
 * A per-sample image transform: reads a [C, H, W] image from {@code src} and writes its result,
 * of shape {@link #outputShape}, to {@code dst} (a different region: transforms never work in
 * place). Random transforms draw only from the {@code rng} they are given, which the
 * {@link DataLoader} derives from (seed, epoch, position), so they are reproducible. Transforms hold
 * no mutable state and may be shared between threads.
 */
public interface Transform {
    /** The shape produced from an input of shape {@code in} ([C, H, W]); throws if unsupported. */
    int[] outputShape(int[] in);

    /** Transforms one image of shape {@code shape}. */
    void apply(float[] src, int srcOff, int[] shape, float[] dst, int dstOff, RandomGenerator rng);

    /** The transform that copies its input. */
    static Transform identity() {
        return Compose.of();
    }
}
