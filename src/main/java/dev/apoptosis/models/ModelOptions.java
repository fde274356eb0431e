package dev.apoptosis.models;

import java.util.Arrays;

/**
 * Options for building a model from the {@link ModelZoo}.
 *
 * @param numClasses number of output classes (≥ 1)
 * @param inputShape sample shape [C, H, W] of the input, or null for the model's default
 * @param width      the model's width knob (its own unit, see each model), or 0 for the model's default
 * @param seed       seed of the parameter initialisation
 */
public record ModelOptions(int numClasses, int[] inputShape, int width, long seed) {
    public ModelOptions {
        if (numClasses < 1) throw new IllegalArgumentException("model: number of classes must be >= 1, got " + numClasses);
        if (width < 0) throw new IllegalArgumentException("model: --width must be >= 0 (0 = default), got " + width);
        if (inputShape != null) {
            inputShape = inputShape.clone();
            for (int d : inputShape) {
                if (d < 1) throw new IllegalArgumentException("model: input shape must be positive, got " + Arrays.toString(inputShape));
            }
        }
    }

    /** 10 classes, default input shape and width, seed 0. */
    public static ModelOptions defaults() {
        return new ModelOptions(10, null, 0, 0);
    }

    public ModelOptions withClasses(int n) {
        return new ModelOptions(n, inputShape, width, seed);
    }

    public ModelOptions withInput(int... shape) {
        return new ModelOptions(numClasses, shape, width, seed);
    }

    public ModelOptions withWidth(int w) {
        return new ModelOptions(numClasses, inputShape, w, seed);
    }

    public ModelOptions withSeed(long s) {
        return new ModelOptions(numClasses, inputShape, width, s);
    }

    @Override
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /** The input shape, or {@code dflt} if none was given. */
    public int[] inputOr(int... dflt) {
        return inputShape != null ? inputShape.clone() : dflt.clone();
    }

    /** The width, or {@code dflt} if 0. */
    public int widthOr(int dflt) {
        return width > 0 ? width : dflt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelOptions m && numClasses == m.numClasses && Arrays.equals(inputShape, m.inputShape)
                && width == m.width && seed == m.seed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(inputShape) * 31 + Long.hashCode(seed) * 17 + numClasses * 7 + width;
    }

    @Override
    public String toString() {
        return "ModelOptions[classes=" + numClasses + ", input=" + Arrays.toString(inputShape) + ", width=" + width + ", seed=" + seed + "]";
    }
}
