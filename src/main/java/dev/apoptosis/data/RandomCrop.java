package dev.apoptosis.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Pads the image with {@code padding} zeros on every side, then cuts a {@code size x size} window
 * at a uniformly random position (top offset drawn first, then left), as torchvision's
 * {@code RandomCrop(size, padding)}. Put it before {@link Normalize} so the padding is black in
 * pixel space, as in the usual CIFAR recipe.
 */
public final class RandomCrop implements Transform {
    private final int size;
    private final int padding;

    public RandomCrop(int size, int padding) {
        if (size <= 0 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop: size must be positive and padding non-negative, got size "
                    + size + ", padding " + padding);
        }
        this.size = size;
        this.padding = padding;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in[1] + 2 * padding < size || in[2] + 2 * padding < size) {
            throw new IllegalArgumentException("RandomCrop: cannot crop " + size + "x" + size + " from image shape "
                    + Arrays.toString(in) + " padded by " + padding);
        }
        return new int[] {in[0], size, size};
    }

    @Override
    public void apply(float[] src, int srcOff, int[] shape, float[] dst, int dstOff, RandomGenerator rng) {
        outputShape(shape);
        int h = shape[1], w = shape[2];
        int top = rng.nextInt(h + 2 * padding - size + 1) - padding;
        int left = rng.nextInt(w + 2 * padding - size + 1) - padding;
        crop(src, srcOff, shape, dst, dstOff, top, left, size);
    }

    /**
     * Copies the {@code size x size} window whose top-left corner is at ({@code top}, {@code left})
     * in the unpadded image (negative or past-the-edge positions read zeros).
     */
    static void crop(float[] src, int srcOff, int[] shape, float[] dst, int dstOff, int top, int left, int size) {
        int c = shape[0], h = shape[1], w = shape[2];
        int x0 = Math.max(0, -left), x1 = Math.min(size, w - left); // output columns that hit the image
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < size; y++) {
                int out = dstOff + (ch * size + y) * size;
                int sy = top + y;
                if (sy < 0 || sy >= h || x1 <= x0) {
                    Arrays.fill(dst, out, out + size, 0f);
                    continue;
                }
                Arrays.fill(dst, out, out + x0, 0f);
                System.arraycopy(src, srcOff + (ch * h + sy) * w + left + x0, dst, out + x0, x1 - x0);
                Arrays.fill(dst, out + x1, out + size, 0f);
            }
        }
    }

    @Override
    public String toString() {
        return "RandomCrop(" + size + ", padding=" + padding + ")";
    }
}
