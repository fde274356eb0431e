package dev.apoptosis.data;

import java.util.List;

/**
 * A labelled image-classification dataset: {@link #size()} samples, each a float image of shape
 * {@link #sampleShape()} = [C, H, W] (channel planes, rows, columns, row-major) and an int label in
 * {@code [0, numClasses())}.
 *
 * <p>Implementations are read-only after construction and safe to read from several threads.
 */
public interface Dataset {
    /** A short human-readable name, e.g. "mnist/train". */
    String name();

    /** Number of samples. */
    int size();

    /** Number of classes; every label lies in {@code [0, numClasses())}. */
    int numClasses();

    /** A copy of the sample shape [C, H, W]. */
    int[] sampleShape();

    /** Floats per sample, C * H * W. */
    default int sampleSize() {
        int[] s = sampleShape();
        return s[0] * s[1] * s[2];
    }

    /** Class names indexed by label, or an empty list when the format does not record them. */
    List<String> classNames();

    /** The label of sample {@code index}. */
    int label(int index);

    /**
     * Writes sample {@code index} as {@link #sampleSize()} floats into {@code dst} starting at
     * {@code offset}, and returns its label.
     */
    int read(int index, float[] dst, int offset);
}
