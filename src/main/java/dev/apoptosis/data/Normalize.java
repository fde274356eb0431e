package dev.apoptosis.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Per-channel standardisation {@code (x - mean[c]) / std[c]}, computed in float as a subtraction
 * then a division, like torchvision's {@code Normalize}, so values match it bit for bit.
 */
public final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: need one mean and one std per channel, got "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (float s : std) {
            if (!(s > 0)) throw new IllegalArgumentException("Normalize: std must be positive, got " + Arrays.toString(std));
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in[0] != mean.length) {
            throw new IllegalArgumentException("Normalize: image shape " + Arrays.toString(in) + " has " + in[0]
                    + " channels, normalisation has " + mean.length);
        }
        return in.clone();
    }

    @Override
    public void apply(float[] src, int srcOff, int[] shape, float[] dst, int dstOff, RandomGenerator rng) {
        outputShape(shape);
        int plane = shape[1] * shape[2];
        for (int c = 0; c < shape[0]; c++) {
            float m = mean[c], s = std[c];
            int a = srcOff + c * plane, b = dstOff + c * plane;
            for (int i = 0; i < plane; i++) dst[b + i] = (src[a + i] - m) / s;
        }
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
