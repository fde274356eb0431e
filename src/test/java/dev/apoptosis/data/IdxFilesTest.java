package dev.apoptosis.data;

import static dev.apoptosis.data.TestFiles.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {
    @TempDir
    Path dir;

    private static final int N = 5, ROWS = 3, COLS = 4;
    private static final int[] LABELS = {3, 0, 9, 1, 3};

    private void writeGood(String split, boolean gz) throws IOException {
        byte[] img = TestFiles.idxImages(0x803, N, ROWS, COLS, TestFiles.patternPixels(N, ROWS * COLS));
        byte[] lab = TestFiles.idxLabels(0x801, LABELS);
        String ext = gz ? ".gz" : "";
        TestFiles.write(dir.resolve(split + "-images-idx3-ubyte" + ext), gz ? TestFiles.gzip(img) : img);
        TestFiles.write(dir.resolve(split + "-labels-idx1-ubyte" + ext), gz ? TestFiles.gzip(lab) : lab);
    }

    private static void assertContent(ByteImageDataset ds) {
        assertEquals(N, ds.size());
        assertArrayEquals(new int[] {1, ROWS, COLS}, ds.sampleShape());
        float[] buf = new float[2 + ROWS * COLS];
        for (int i = 0; i < N; i++) {
            assertEquals(LABELS[i], ds.read(i, buf, 2), "label " + i);
            assertEquals(LABELS[i], ds.label(i));
            for (int k = 0; k < ROWS * COLS; k++) {
                assertEquals((float) TestFiles.pattern(i, k) / 255f, buf[2 + k], "sample " + i + " pixel " + k);
            }
        }
    }

    @Test
    void readsRawFiles() throws IOException {
        writeGood("train", false);
        ByteImageDataset ds = IdxFiles.loadSplit(dir, "train", "t", 10, List.of());
        assertContent(ds);
        assertEquals(10, ds.numClasses());
    }

    @Test
    void readsGzippedFilesIdentically() throws IOException {
        writeGood("t10k", true);
        assertContent(IdxFiles.loadSplit(dir, "t10k", "t", 10, List.of()));
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        byte[] img = TestFiles.idxImages(0x803, N, ROWS, COLS, TestFiles.patternPixels(N, ROWS * COLS));
        TestFiles.write(dir.resolve("a"), TestFiles.gzip(img));
        TestFiles.write(dir.resolve("b"), TestFiles.idxLabels(0x801, LABELS));
        assertContent(IdxFiles.load(dir.resolve("a"), dir.resolve("b"), "t", 10, List.of()));
    }

    @Test
    void infersClassCountFromLabelsWhenAskedTo() throws IOException {
        writeGood("train", false);
        TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(0x801, new int[] {2, 0, 1, 1, 2}));
        assertEquals(3, IdxFiles.loadSplit(dir, "train", "t", 0, List.of()).numClasses());
    }

    /** Issue 16, item 5: one stray label of 255 made a 256-class model without a word. */
    @Test
    void refusesToInferClassesFromLabelsWithGaps() throws IOException {
        writeGood("train", false);
        TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(0x801, new int[] {2, 0, 255, 1, 2}));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 0, List.of()));
        assertMentions(e.getMessage(), "train-labels-idx1-ubyte", "255", "record 2", "never occur");
    }

    /** Issue 16, item 3: a labels file declaring 2^31-1 labels in a few bytes ended in OutOfMemoryError. */
    @Test
    void refusesADeclaredLabelCountTheFileCannotHold() throws IOException {
        Path f = dir.resolve("labels");
        byte[] b = TestFiles.idxLabels(0x801, new int[] {1, 2, 3});
        java.nio.ByteBuffer.wrap(b).putInt(4, Integer.MAX_VALUE);
        TestFiles.write(f, b);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.readLabels(f));
        assertMentions(e.getMessage(), f.toString(), "2147483647", "after 3 more");
        TestFiles.write(f, TestFiles.gzip(b)); // compressed: bounded by what DEFLATE can expand the file to
        assertMentions(assertThrows(DatasetException.class, () -> IdxFiles.readLabels(f)).getMessage(), f.toString(), "2147483647");
    }

    /** Issue 16, item 3: 40000x40000 declared images allocated 1.6 GB from a file under 100 bytes. */
    @Test
    void refusesDeclaredImagesTheFileCannotHoldBeforeAllocating() throws IOException {
        TestFiles.write(dir.resolve("labels"), TestFiles.idxLabels(0x801, new int[] {1}));
        byte[] img = TestFiles.idxImages(0x803, 1, 40000, 40000, new byte[20]);
        TestFiles.write(dir.resolve("images"), img);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxFiles.load(dir.resolve("images"), dir.resolve("labels"), "t", 10, List.of()));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertMentions(e.getMessage(), dir.resolve("images").toString(), "1600000000", "after 20 more");
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes to refuse a " + img.length + "-byte file");
    }

    @Test
    void rejectsBadImageMagic() throws IOException {
        writeGood("train", false);
        Path f = dir.resolve("train-images-idx3-ubyte");
        TestFiles.write(f, TestFiles.idxImages(0x804, N, ROWS, COLS, TestFiles.patternPixels(N, ROWS * COLS)));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 10, List.of()));
        assertMentions(e.getMessage(), f.toString(), "magic", "0x00000804");
    }

    @Test
    void rejectsLabelsFileGivenAsImages() throws IOException {
        Path lab = dir.resolve("l");
        TestFiles.write(lab, TestFiles.idxLabels(0x801, LABELS));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.load(lab, lab, "t", 10, List.of()));
        assertMentions(e.getMessage(), lab.toString(), "magic");
    }

    @Test
    void rejectsBadLabelMagic() throws IOException {
        writeGood("train", true);
        Path f = dir.resolve("train-labels-idx1-ubyte.gz");
        TestFiles.write(f, TestFiles.gzip(TestFiles.idxLabels(0x803, LABELS)));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 10, List.of()));
        assertMentions(e.getMessage(), f.toString(), "magic");
    }

    @Test
    void rejectsTruncatedImages() throws IOException {
        writeGood("train", false);
        Path f = dir.resolve("train-images-idx3-ubyte");
        byte[] img = TestFiles.idxImages(0x803, N, ROWS, COLS, TestFiles.patternPixels(N, ROWS * COLS));
        TestFiles.write(f, Arrays.copyOf(img, img.length - 1));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 10, List.of()));
        assertMentions(e.getMessage(), f.toString(), "truncated", "60 bytes", "after 59");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        Path f = dir.resolve("i");
        Path l = dir.resolve("l");
        TestFiles.write(f, new byte[] {0, 0, 8, 3, 0, 0});
        TestFiles.write(l, TestFiles.idxLabels(0x801, LABELS));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.load(f, l, "t", 10, List.of()));
        assertMentions(e.getMessage(), f.toString(), "truncated", "image count");
    }

    @Test
    void rejectsCutGzipStream() throws IOException {
        writeGood("train", true);
        Path f = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] gz = TestFiles.gzip(TestFiles.idxImages(0x803, N, ROWS, COLS, TestFiles.patternPixels(N, ROWS * COLS)));
        TestFiles.write(f, Arrays.copyOf(gz, gz.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 10, List.of()));
        assertMentions(e.getMessage(), f.toString());
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        writeGood("train", false);
        Path f = dir.resolve("train-labels-idx1-ubyte");
        byte[] lab = TestFiles.idxLabels(0x801, LABELS);
        TestFiles.write(f, Arrays.copyOf(lab, lab.length + 3));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 10, List.of()));
        assertMentions(e.getMessage(), f.toString(), "3 unexpected trailing bytes");
    }

    @Test
    void rejectsCountMismatch() throws IOException {
        writeGood("train", false);
        Path lab = dir.resolve("train-labels-idx1-ubyte");
        TestFiles.write(lab, TestFiles.idxLabels(0x801, new int[] {1, 2, 3, 4}));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 10, List.of()));
        assertMentions(e.getMessage(), "5 images", "4 labels", lab.toString());
    }

    @Test
    void rejectsLabelOutOfRange() throws IOException {
        writeGood("train", false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 5, List.of()));
        assertMentions(e.getMessage(), "label 9", "record 2", "5 classes");
    }

    @Test
    void missingFileListsWhatWasLookedFor() {
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.loadSplit(dir, "train", "t", 10, List.of()));
        assertMentions(e.getMessage(), dir.toString(), "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte");
    }
}
