package dev.apoptosis.data;

import static dev.apoptosis.data.TestFiles.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsCsvTest {
    @TempDir
    Path dir;

    private static String row(int seed, String label) {
        StringJoiner j = new StringJoiner(",");
        for (int k = 0; k < 64; k++) j.add(Integer.toString((seed + 3 * k) % 17));
        return j.add(label).toString();
    }

    private Path write(String name, String text, boolean gz) throws IOException {
        Path f = dir.resolve(name);
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        TestFiles.write(f, gz ? TestFiles.gzip(b) : b);
        return f;
    }

    @Test
    void readsGzippedCsv() throws IOException {
        Path f = write("d.csv.gz", row(0, "7") + "\n" + row(5, "0") + "\n" + row(9, "9.0") + "\n\n", true);
        ByteImageDataset ds = DigitsCsv.load(f, "d");
        assertEquals(3, ds.size());
        assertArrayEquals(new int[] {1, 8, 8}, ds.sampleShape());
        assertEquals(10, ds.numClasses());
        assertEquals(7, ds.label(0));
        assertEquals(9, ds.label(2));
        float[] buf = new float[64];
        assertEquals(0, ds.read(1, buf, 0));
        for (int k = 0; k < 64; k++) assertEquals((float) ((5 + 3 * k) % 17) / 16f, buf[k], "pixel " + k);
    }

    @Test
    void readsPlainCsv() throws IOException {
        Path f = write("d.csv", row(1, "3") + "\n", false);
        assertEquals(3, DigitsCsv.load(f, "d").label(0));
    }

    @Test
    void rejectsWrongColumnCount() throws IOException {
        Path f = write("d.csv", row(0, "1") + "\n" + row(0, "1") + ",4\n", false);
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsCsv.load(f, "d"));
        assertMentions(e.getMessage(), f.toString(), "line 2", "66 values", "expected 65");
    }

    @Test
    void rejectsPixelAbove16() throws IOException {
        Path f = write("d.csv", row(0, "1").replaceFirst("^0,", "17,") + "\n", false);
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsCsv.load(f, "d"));
        assertMentions(e.getMessage(), f.toString(), "line 1", "pixel 0", "17 outside 0..16");
    }

    @Test
    void rejectsBadLabel() throws IOException {
        Path f = write("d.csv", row(0, "10") + "\n", false);
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsCsv.load(f, "d"));
        assertMentions(e.getMessage(), "label 10 outside 0..9");
    }

    @Test
    void rejectsNonInteger() throws IOException {
        Path f = write("d.csv", row(0, "x1") + "\n", false);
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsCsv.load(f, "d"));
        assertMentions(e.getMessage(), "'x1' is not an integer");
    }

    @Test
    void rejectsBlankLineBeforeData() throws IOException {
        Path f = write("d.csv", row(0, "1") + "\n\n" + row(0, "2") + "\n", false);
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsCsv.load(f, "d"));
        assertMentions(e.getMessage(), "line 2", "blank line");
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        Path f = write("d.csv.gz", "", true);
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsCsv.load(f, "d"));
        assertMentions(e.getMessage(), f.toString(), "no samples");
    }

    /** A file of one endless line (a compressed "bomb" of digits) is refused as it is read, not held whole in memory. */
    @Test
    void anEndlessLineIsRefusedWhileReading() throws IOException {
        Path f = write("d.csv.gz", "1,".repeat(4 << 20), true);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsCsv.load(f, "d"));
        assertMentions(e.getMessage(), f.toString(), "longer than 4096");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        org.junit.jupiter.api.Assertions.assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes");
    }
}
