package dev.apoptosis.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the UCI optical handwritten digits as shipped by scikit-learn: a (usually gzipped) CSV
 * without header, one sample per line, 64 pixel values 0..16 (an 8x8 image, row-major) then the
 * label 0..9. Values are integers; blank lines are allowed only at the end.
 *
 * <p>Pixels are stored as bytes and read as {@code value / 16f}, so images lie in [0, 1].
 */
public final class DigitsCsv {
    public static final int SIDE = 8;
    public static final int PIXELS = SIDE * SIDE;
    public static final int MAX_VALUE = 16;
    public static final int CLASSES = 10;

    private DigitsCsv() {}

    /** Loads the whole file (all 1797 samples for the real one). */
    public static ByteImageDataset load(Path file, String name) throws IOException {
        return load(DataFiles.open(file), file, name);
    }

    /**
     * Loads from an open (already gunzipped) stream, which is closed; {@code file} names the source in
     * errors (for a resource in the jar, its path inside the jar).
     */
    public static ByteImageDataset load(java.io.InputStream in, Path file, String name) throws IOException {
        List<byte[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            int blankAt = 0;
            while ((line = readLine(r, file)) != null) {
                lineNo++;
                if (line.isBlank()) {
                    if (blankAt == 0) blankAt = lineNo;
                    continue;
                }
                if (blankAt != 0) throw new DatasetException(file, "line " + blankAt + ": blank line before more data");
                String[] tok = line.split(",", -1);
                if (tok.length != PIXELS + 1) {
                    throw new DatasetException(file, "line " + lineNo + ": " + tok.length + " values, expected "
                            + (PIXELS + 1) + " (64 pixels then the label)");
                }
                byte[] px = new byte[PIXELS];
                for (int k = 0; k < PIXELS; k++) px[k] = (byte) parse(tok[k], MAX_VALUE, file, lineNo, "pixel " + k);
                rows.add(px);
                labels.add(parse(tok[PIXELS], CLASSES - 1, file, lineNo, "label"));
            }
        }
        if (rows.isEmpty()) throw new DatasetException(file, "no samples");
        byte[] pixels = new byte[rows.size() * PIXELS];
        int[] lab = new int[rows.size()];
        for (int i = 0; i < lab.length; i++) {
            System.arraycopy(rows.get(i), 0, pixels, i * PIXELS, PIXELS);
            lab[i] = labels.get(i);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) names.add(Integer.toString(c));
        return new ByteImageDataset(name, pixels, lab, new int[] {1, SIDE, SIDE}, CLASSES, names, MAX_VALUE);
    }

    /** A valid line is 65 small numbers (under 200 characters); a longer one is not this format. */
    static final int MAX_LINE = 4096;

    /**
     * The next line, or null at the end; a line longer than {@link #MAX_LINE} is refused as it is read,
     * so a file of one endless line (a gzip bomb of digits) cannot fill the heap.
     */
    private static String readLine(BufferedReader r, Path file) throws IOException {
        StringBuilder b = new StringBuilder(256);
        try {
            for (int c; (c = r.read()) >= 0; ) {
                if (c == '\n') return b.toString();
                if (b.length() >= MAX_LINE) {
                    throw new DatasetException(file, "a line longer than " + MAX_LINE + " characters: not a digits CSV file");
                }
                if (c != '\r') b.append((char) c);
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new DatasetException(file, "truncated or corrupt compressed data: " + e.getMessage(), e);
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** An integer in [0, max]; a trailing ".0" is accepted since some exports write floats. */
    private static int parse(String tok, int max, Path file, int lineNo, String what) throws DatasetException {
        String t = tok.strip();
        if (t.endsWith(".0")) t = t.substring(0, t.length() - 2);
        int v;
        try {
            v = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new DatasetException(file, "line " + lineNo + ": " + what + " '" + tok + "' is not an integer");
        }
        if (v < 0 || v > max) {
            throw new DatasetException(file, "line " + lineNo + ": " + what + " " + v + " outside 0.." + max);
        }
        return v;
    }
}
