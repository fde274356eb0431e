package dev.apoptosis.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, raw or gzipped.
 *
 * <p>An IDX file is a big-endian header then the data: magic {@code 0x00000803} (unsigned bytes,
 * 3 dimensions) followed by count, rows, columns for images; {@code 0x00000801} then count for
 * labels. Pixels are row-major 8-bit grey. The loader checks both magics, that the counts agree,
 * that the data is exactly as long as the header says (no truncation, no trailing bytes), and that
 * every label is below the number of classes.
 */
public final class IdxFiles {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** File names tried for a split of an IDX directory, gzipped first. */
    static List<String> candidates(String split, String kind) {
        String idx = kind.equals("images") ? "idx3-ubyte" : "idx1-ubyte";
        return List.of(split + "-" + kind + "-" + idx + ".gz", split + "-" + kind + "-" + idx,
                split + "-" + kind + "." + idx + ".gz", split + "-" + kind + "." + idx);
    }

    private IdxFiles() {}

    /**
     * Loads one split ("train" or "t10k") of an IDX directory holding the usual four files
     * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-...}).
     *
     * @param numClasses labels must be below this; 0 means "the largest label plus one"
     */
    public static ByteImageDataset loadSplit(Path dir, String split, String name, int numClasses,
                                             List<String> classNames) throws IOException {
        DataFiles.requireDirectory(dir, "IDX");
        Path images = DataFiles.firstExisting(dir, split + " images", candidates(split, "images"));
        Path labels = DataFiles.firstExisting(dir, split + " labels", candidates(split, "labels"));
        return load(images, labels, name, numClasses, classNames);
    }

    /**
     * Loads an images file and a labels file that must hold the same number of records.
     *
     * @param numClasses labels must be below this; 0 means "the largest label plus one"
     */
    public static ByteImageDataset load(Path images, Path labels, String name, int numClasses,
                                        List<String> classNames) throws IOException {
        int[] lab = readLabels(labels);
        byte[] pixels;
        int count, rows, cols;
        try (InputStream in = DataFiles.open(images)) {
            int magic = DataFiles.readInt(in, images, "the magic number");
            if (magic != IMAGES_MAGIC) {
                throw new DatasetException(images, String.format("bad magic number 0x%08x, expected 0x%08x"
                        + " (IDX unsigned-byte images with 3 dimensions)", magic, IMAGES_MAGIC));
            }
            count = DataFiles.readInt(in, images, "the image count");
            rows = DataFiles.readInt(in, images, "the row count");
            cols = DataFiles.readInt(in, images, "the column count");
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new DatasetException(images, "invalid header sizes: count " + count + ", rows " + rows + ", cols " + cols);
            }
            if (count != lab.length) {
                throw new DatasetException(images, "holds " + count + " images but " + labels + " holds "
                        + lab.length + " labels");
            }
            long bytes = (long) count * rows * cols;
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new DatasetException(images, count + " images of " + rows + "x" + cols + " exceed 2 GB");
            }
            pixels = new byte[(int) bytes];
            DataFiles.readFully(in, pixels, 0, pixels.length, images,
                    count + " images of " + rows + "x" + cols);
            DataFiles.requireEnd(in, images, count + " images of " + rows + "x" + cols);
        }
        int classes = numClasses;
        int maxLabel = -1;
        for (int l : lab) maxLabel = Math.max(maxLabel, l);
        if (classes <= 0) classes = maxLabel + 1;
        if (classes <= 0) throw new DatasetException(labels, "no labels: cannot infer the number of classes");
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] >= classes) {
                throw new DatasetException(labels, "label " + lab[i] + " of record " + i + " is not below the "
                        + classes + " classes");
            }
        }
        return new ByteImageDataset(name, pixels, lab, new int[] {1, rows, cols}, classes, classNames, 255);
    }

    /** Reads an idx1-ubyte labels file. */
    static int[] readLabels(Path labels) throws IOException {
        try (InputStream in = DataFiles.open(labels)) {
            int magic = DataFiles.readInt(in, labels, "the magic number");
            if (magic != LABELS_MAGIC) {
                throw new DatasetException(labels, String.format("bad magic number 0x%08x, expected 0x%08x"
                        + " (IDX unsigned-byte labels with 1 dimension)", magic, LABELS_MAGIC));
            }
            int count = DataFiles.readInt(in, labels, "the label count");
            if (count < 0) throw new DatasetException(labels, "negative label count " + count);
            byte[] raw = new byte[count];
            DataFiles.readFully(in, raw, 0, count, labels, count + " labels");
            DataFiles.requireEnd(in, labels, count + " labels");
            int[] out = new int[count];
            for (int i = 0; i < count; i++) out[i] = raw[i] & 0xFF;
            return out;
        }
    }
}
