package dev.apoptosis.data;

import java.util.Arrays;
import java.util.List;

/**
 * An in-memory dataset storing each pixel as one unsigned byte (4x smaller than float), converted
 * on read to {@code value / maxValue} in float, the way torchvision's {@code ToTensor} divides 8-bit
 * pixels by 255. Digits use {@code maxValue = 16} since their pixels are counts in 0..16.
 *
 * <p>Pixels are stored sample after sample, each in [C, H, W] order. The conversion goes through a
 * 256-entry table, so reading costs one lookup per value and equals the true float quotient.
 */
public final class ByteImageDataset implements Dataset {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int[] shape;
    private final int sampleSize;
    private final int numClasses;
    private final List<String> classNames;
    private final int maxValue;
    private final float[] toFloat = new float[256];

    /**
     * @param pixels     {@code labels.length * C*H*W} bytes, kept (not copied)
     * @param labels     one label per sample in {@code [0, numClasses)}, kept (not copied)
     * @param shape      [C, H, W]
     * @param classNames empty, or exactly {@code numClasses} names
     * @param maxValue   the byte value that maps to 1.0f (255 for 8-bit images)
     */
    public ByteImageDataset(String name, byte[] pixels, int[] labels, int[] shape, int numClasses,
                            List<String> classNames, int maxValue) {
        if (shape.length != 3 || shape[0] <= 0 || shape[1] <= 0 || shape[2] <= 0) {
            throw new IllegalArgumentException(name + ": sample shape must be [C, H, W] with positive sizes, got "
                    + Arrays.toString(shape));
        }
        long per = (long) shape[0] * shape[1] * shape[2];
        if (per * labels.length != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes for " + labels.length
                    + " samples of shape " + Arrays.toString(shape) + " (expected " + per * labels.length + ")");
        }
        if (numClasses <= 0) throw new IllegalArgumentException(name + ": numClasses must be positive, got " + numClasses);
        if (!classNames.isEmpty() && classNames.size() != numClasses) {
            throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + numClasses + " classes");
        }
        if (maxValue < 1 || maxValue > 255) throw new IllegalArgumentException(name + ": maxValue must be in 1..255, got " + maxValue);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i
                        + " outside [0, " + numClasses + ")");
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.shape = shape.clone();
        this.sampleSize = (int) per;
        this.numClasses = numClasses;
        this.classNames = List.copyOf(classNames);
        this.maxValue = maxValue;
        for (int v = 0; v < 256; v++) toFloat[v] = (float) v / (float) maxValue;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int[] sampleShape() {
        return shape.clone();
    }

    @Override
    public int sampleSize() {
        return sampleSize;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int read(int index, float[] dst, int offset) {
        int base = index * sampleSize;
        for (int k = 0; k < sampleSize; k++) dst[offset + k] = toFloat[pixels[base + k] & 0xFF];
        return labels[index];
    }

    /** The raw byte of sample {@code index} at flat position {@code k} of its [C, H, W] image. */
    public int rawPixel(int index, int k) {
        return pixels[index * sampleSize + k] & 0xFF;
    }

    /** The byte value that reads as 1.0f. */
    public int maxValue() {
        return maxValue;
    }

    /** The backing pixel bytes (not a copy; for cache writers). Do not modify. */
    byte[] pixelBytes() {
        return pixels;
    }

    /** The backing labels (not a copy; for cache writers). Do not modify. */
    int[] labelArray() {
        return labels;
    }

    @Override
    public String toString() {
        return name + " (" + size() + " samples of " + Arrays.toString(shape) + ", " + numClasses + " classes)";
    }
}
