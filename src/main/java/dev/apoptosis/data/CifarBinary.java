package dev.apoptosis.data;

import dev.apoptosis.io.BoundedInput;
import dev.apoptosis.io.DeclaredSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the official binary versions of CIFAR-10 and CIFAR-100.
 *
 * <p>Each file is a plain sequence of fixed-size records: the label byte(s), then 3072 bytes of
 * 32x32 pixels as three planes R, G, B, each row-major. That is already the [C, H, W] layout, so
 * records are copied as they are. CIFAR-10 records have 1 label byte (3073 bytes in all); CIFAR-100
 * records have 2, the coarse (superclass, 0..19) then the fine label (0..99), 3074 bytes.
 *
 * <p>CIFAR-10 ships {@code data_batch_1.bin .. data_batch_5.bin} and {@code test_batch.bin} (with
 * class names in {@code batches.meta.txt}); CIFAR-100 ships {@code train.bin} and {@code test.bin}
 * (names in {@code fine_label_names.txt} / {@code coarse_label_names.txt}). The directory may be
 * the one holding these files or its parent from the official tarball
 * ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}). Each file must be a whole, non-zero
 * number of records and every label must be in range.
 */
public final class CifarBinary {
    public static final int IMAGE_BYTES = 3 * 32 * 32;
    private static final int[] SHAPE = {3, 32, 32};

    /** The standard CIFAR-10 class names, used when {@code batches.meta.txt} is absent. */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    /** Which CIFAR-100 label to use. */
    public enum Cifar100Label { FINE, COARSE }

    private CifarBinary() {}

    /** Loads the CIFAR-10 training (five batches) or test split from {@code dir}. */
    public static ByteImageDataset loadCifar10(Path dir, boolean train) throws IOException {
        Path d = resolveDir(dir, "cifar-10-batches-bin", train ? "data_batch_1.bin" : "test_batch.bin");
        List<Path> files = new ArrayList<>();
        if (train) {
            for (int b = 1; b <= 5; b++) files.add(d.resolve("data_batch_" + b + ".bin"));
        } else {
            files.add(d.resolve("test_batch.bin"));
        }
        List<String> names = readNames(d.resolve("batches.meta.txt"), 10);
        return load(files, 1, 0, 10, names.isEmpty() ? CIFAR10_CLASSES : names,
                "cifar10-bin/" + (train ? "train" : "test"));
    }

    /** Loads the CIFAR-100 training or test split from {@code dir} with fine or coarse labels. */
    public static ByteImageDataset loadCifar100(Path dir, boolean train, Cifar100Label which) throws IOException {
        Path d = resolveDir(dir, "cifar-100-binary", train ? "train.bin" : "test.bin");
        Path file = d.resolve(train ? "train.bin" : "test.bin");
        boolean fine = which == Cifar100Label.FINE;
        int classes = fine ? 100 : 20;
        List<String> names = readNames(d.resolve(fine ? "fine_label_names.txt" : "coarse_label_names.txt"), classes);
        return load(List.of(file), 2, fine ? 1 : 0, classes, names,
                "cifar100-bin/" + (train ? "train" : "test") + (fine ? "" : "-coarse"));
    }

    /**
     * Loads records of {@code labelBytes} label bytes plus {@link #IMAGE_BYTES} pixel bytes from
     * each file in turn, taking the label at {@code labelIndex}.
     */
    public static ByteImageDataset load(List<Path> files, int labelBytes, int labelIndex, int numClasses,
                                        List<String> classNames, String name) throws IOException {
        int record = labelBytes + IMAGE_BYTES;
        long total = 0;
        long[] counts = new long[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            long size = DataFiles.requireRegular(file);
            if (size == 0 || size % record != 0) {
                throw new DatasetException(file, "size " + size + " bytes is not a whole, non-zero number of "
                        + record + "-byte records (" + labelBytes + " label byte(s) + " + IMAGE_BYTES
                        + " pixel bytes); truncated or not a CIFAR-" + (labelBytes == 1 ? "10" : "100") + " binary file");
            }
            counts[f] = size / record;
            total += counts[f];
        }
        // The sizes come from the files' lengths, so they are what the files hold; only memory can refuse them.
        Path first = files.get(0);
        int pixelBytes = DeclaredSize.arrayLength(total * IMAGE_BYTES, 1, Long.MAX_VALUE, total + " CIFAR records",
                DataFiles.refusal(first));
        byte[] pixels = new byte[pixelBytes];
        int[] labels = new int[(int) total];
        byte[] rec = new byte[record];
        int n = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            // Read as stored, never gunzipped: a record may well start with the bytes 1f 8b.
            try (BoundedInput<DatasetException> in = BoundedInput.of(open(file), counts[f] * record, true, DataFiles.refusal(file))) {
                for (long r = 0; r < counts[f]; r++, n++) {
                    in.readFully(rec, 0, record, "record " + r);
                    int label = rec[labelIndex] & 0xFF;
                    if (label >= numClasses) {
                        throw new DatasetException(file, "record " + r + " has label " + label + " (byte " + labelIndex
                                + "), not below " + numClasses + " classes");
                    }
                    labels[n] = label;
                    System.arraycopy(rec, labelBytes, pixels, n * IMAGE_BYTES, IMAGE_BYTES);
                }
                in.requireEnd(counts[f] + " records (file grew while reading)");
            }
        }
        return new ByteImageDataset(name, pixels, labels, SHAPE, numClasses, classNames, 255);
    }

    private static Path resolveDir(Path dir, String officialSubdir, String probe) throws DatasetException {
        DataFiles.requireDirectory(dir, "CIFAR binary");
        if (Files.isRegularFile(dir.resolve(probe))) return dir;
        Path sub = dir.resolve(officialSubdir);
        if (Files.isRegularFile(sub.resolve(probe))) return sub;
        throw new DatasetException(dir, "no " + probe + " (nor " + officialSubdir + "/" + probe + ")");
    }

    private static InputStream open(Path file) throws DatasetException {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot open: " + e, e);
        }
    }

    /**
     * Reads one class name per non-blank line (UTF-8), or returns empty if the file is absent; the
     * count must match. A file that exists but is not a regular file is refused, not taken as absent.
     */
    private static List<String> readNames(Path file, int expected) throws IOException {
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<String> names = new ArrayList<>();
        for (String line : DataFiles.readUtf8Lines(file)) {
            if (!line.isBlank()) names.add(line.strip());
        }
        if (names.size() != expected) {
            throw new DatasetException(file, names.size() + " class names, expected " + expected);
        }
        return names;
    }
}
