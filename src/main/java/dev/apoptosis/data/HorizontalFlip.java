package dev.apoptosis.data;

import java.util.random.RandomGenerator;

/**
 * Mirrors the image left-right with probability {@code p} (one uniform draw per image, flipped
 * when it is below {@code p}, as torchvision's {@code RandomHorizontalFlip}).
 */
public final class HorizontalFlip implements Transform {
    private final double p;

    public HorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("HorizontalFlip: probability must be in [0, 1], got " + p);
        this.p = p;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    public void apply(float[] src, int srcOff, int[] shape, float[] dst, int dstOff, RandomGenerator rng) {
        int n = shape[0] * shape[1] * shape[2];
        if (rng.nextDouble() < p) {
            flip(src, srcOff, shape, dst, dstOff);
        } else {
            System.arraycopy(src, srcOff, dst, dstOff, n);
        }
    }

    /** Writes the mirror image of {@code src} into {@code dst}. */
    static void flip(float[] src, int srcOff, int[] shape, float[] dst, int dstOff) {
        int rows = shape[0] * shape[1], w = shape[2];
        for (int r = 0; r < rows; r++) {
            int a = srcOff + r * w, b = dstOff + r * w + w - 1;
            for (int x = 0; x < w; x++) dst[b - x] = src[a + x];
        }
    }

    @Override
    public String toString() {
        return "HorizontalFlip(" + p + ")";
    }
}
