package dev.apoptosis.train;

import dev.apoptosis.data.DataSplits;
import dev.apoptosis.data.Dataset;
import dev.apoptosis.data.HorizontalFlip;
import dev.apoptosis.data.Transform;
import java.util.List;
import java.util.Random;

/**
 * A small learnable in-memory dataset of 1x8x8 images, invariant under horizontal flips: the class
 * picks a texture (flat, horizontal stripes, vertical stripes: label % 3) and a brightness (label / 3),
 * plus Gaussian noise.
 */
final class SyntheticData {
    private SyntheticData() {}

    static Dataset dataset(String name, int n, int classes, long seed) {
        Random r = new Random(seed);
        float[][] images = new float[n][64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
            int texture = labels[i] % 3, level = labels[i] / 3;
            for (int p = 0; p < 64; p++) {
                int row = p / 8, col = p % 8;
                double pattern = texture == 1 ? (row % 2) * 2 - 1 : texture == 2 ? (col % 2) * 2 - 1 : 0;
                images[i][p] = (float) (r.nextGaussian() * 0.5 + pattern + level);
            }
        }
        return new Dataset() {
            @Override public String name() { return name; }
            @Override public int size() { return n; }
            @Override public int numClasses() { return classes; }
            @Override public int[] sampleShape() { return new int[] {1, 8, 8}; }
            @Override public List<String> classNames() { return List.of(); }
            @Override public int label(int index) { return labels[index]; }
            @Override public int read(int index, float[] dst, int offset) {
                System.arraycopy(images[index], 0, dst, offset, 64);
                return labels[index];
            }
        };
    }

    /** Train (with a random horizontal flip, to exercise seeded augmentation) and test splits. */
    static DataSplits splits(int train, int test, int classes) {
        return new DataSplits("synthetic", dataset("synthetic/train", train, classes, 1), dataset("synthetic/test", test, classes, 2),
                new HorizontalFlip(0.5), Transform.identity());
    }
}
