package dev.apoptosis.data;

import dev.apoptosis.io.BoundedInput;
import dev.apoptosis.io.DeclaredSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, raw or gzipped.
 *
 * <p>An IDX file is a big-endian header then the data: magic {@code 0x00000803} (unsigned bytes,
 * 3 dimensions) followed by count, rows, columns for images; {@code 0x00000801} then count for
 * labels. Pixels are row-major 8-bit grey. The loader checks both magics, that the counts agree,
 * that the data is exactly as long as the header says (no truncation, no trailing bytes; sizes are
 * checked against the file before anything is allocated), and that every label is below the number
 * of classes (which, when not given, is inferred only from labels 0..max that all occur).
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
        try (BoundedInput<DatasetException> in = DataFiles.open(images)) {
            int magic = in.readInt("the magic number");
            if (magic != IMAGES_MAGIC) {
                throw new DatasetException(images, String.format("bad magic number 0x%08x, expected 0x%08x"
                        + " (IDX unsigned-byte images with 3 dimensions)", magic, IMAGES_MAGIC));
            }
            count = in.readInt("the image count");
            rows = in.readInt("the row count");
            cols = in.readInt("the column count");
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new DatasetException(images, "invalid header sizes: count " + count + ", rows " + rows + ", cols " + cols);
            }
            if (count != lab.length) {
                throw new DatasetException(images, "holds " + count + " images but " + labels + " holds "
                        + lab.length + " labels");
            }
            String what = count + " images of " + rows + "x" + cols;
            pixels = in.readArray((long) count * rows, cols, what); // rows, cols < 2^31: the product fits a long
            in.requireEnd(what);
        }
        int classes = numClasses > 0 ? numClasses : inferClasses(lab, labels);
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] >= classes) {
                throw new DatasetException(labels, "label " + lab[i] + " of record " + i + " is not below the "
                        + classes + " classes");
            }
        }
        return new ByteImageDataset(name, pixels, lab, new int[] {1, rows, cols}, classes, classNames, 255);
    }

    /**
     * The number of classes of labels that do not say it: the largest label plus one, provided every
     * label below it occurs. One stray byte (a label of 255 among digits) would otherwise make a
     * 256-class model without a word; a gap is refused, naming the record with the largest label.
     */
    static int inferClasses(int[] lab, Path labels) throws DatasetException {
        if (lab.length == 0) throw new DatasetException(labels, "no labels: cannot infer the number of classes");
        boolean[] seen = new boolean[256];
        int max = 0, maxAt = 0;
        for (int i = 0; i < lab.length; i++) {
            seen[lab[i]] = true;
            if (lab[i] > max) {
                max = lab[i];
                maxAt = i;
            }
        }
        int missing = 0, firstMissing = -1;
        for (int c = 0; c < max; c++) {
            if (!seen[c]) {
                missing++;
                if (firstMissing < 0) firstMissing = c;
            }
        }
        if (missing > 0) {
            throw new DatasetException(labels, "the number of classes is inferred from the largest label, " + max + " (record "
                    + maxAt + "), but " + missing + " of the labels below it never occur (the first is " + firstMissing
                    + "): a corrupt label or the wrong file");
        }
        return max + 1;
    }

    /** Reads an idx1-ubyte labels file. */
    static int[] readLabels(Path labels) throws IOException {
        try (BoundedInput<DatasetException> in = DataFiles.open(labels)) {
            int magic = in.readInt("the magic number");
            if (magic != LABELS_MAGIC) {
                throw new DatasetException(labels, String.format("bad magic number 0x%08x, expected 0x%08x"
                        + " (IDX unsigned-byte labels with 1 dimension)", magic, LABELS_MAGIC));
            }
            int count = in.readInt("the label count");
            if (count < 0) throw new DatasetException(labels, "negative label count " + count);
            // Each label is kept as a byte while read and then as an int: five bytes of heap per label.
            DeclaredSize.bytes(count, 1, in.remainingAtMost(), count + " labels", DataFiles.refusal(labels));
            DeclaredSize.requireHeap(5L * count, count + " labels", DataFiles.refusal(labels));
            byte[] raw = in.readArray(count, 1, count + " labels");
            in.requireEnd(count + " labels");
            int[] out = new int[count];
            for (int i = 0; i < count; i++) out[i] = raw[i] & 0xFF;
            return out;
        }
    }
}
