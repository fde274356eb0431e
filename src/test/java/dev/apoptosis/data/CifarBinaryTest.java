package dev.apoptosis.data;

import static dev.apoptosis.data.TestFiles.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryTest {
    @TempDir
    Path dir;

    /** Batch b holds 2 records with seeds 10*b + r and labels (b + r) % 10. */
    private void writeCifar10(Path d) throws IOException {
        for (int b = 1; b <= 5; b++) {
            TestFiles.write(d.resolve("data_batch_" + b + ".bin"),
                    TestFiles.cifarRecords(new int[][] {{b % 10}, {(b + 1) % 10}}, 10 * b));
        }
        TestFiles.write(d.resolve("test_batch.bin"), TestFiles.cifarRecords(new int[][] {{9}, {0}, {4}}, 100));
    }

    /** Checks sample i against pattern(seed, k) with the planes in R, G, B order. */
    private static void assertPixels(Dataset ds, int i, int seed) {
        float[] buf = new float[3072];
        ds.read(i, buf, 0);
        for (int k = 0; k < 3072; k++) {
            assertEquals((float) TestFiles.pattern(seed, k) / 255f, buf[k], "sample " + i + " value " + k);
        }
    }

    @Test
    void readsCifar10TrainBatchesInOrder() throws IOException {
        writeCifar10(dir);
        ByteImageDataset ds = CifarBinary.loadCifar10(dir, true);
        assertEquals(10, ds.size());
        assertArrayEquals(new int[] {3, 32, 32}, ds.sampleShape());
        assertEquals(CifarBinary.CIFAR10_CLASSES, ds.classNames());
        for (int b = 1; b <= 5; b++) {
            for (int r = 0; r < 2; r++) {
                int i = 2 * (b - 1) + r;
                assertEquals((b + r) % 10, ds.label(i));
                assertPixels(ds, i, 10 * b + r);
            }
        }
    }

    @Test
    void planesAreRedGreenBlue() throws IOException {
        byte[] rec = new byte[3073];
        rec[0] = 2;
        Arrays.fill(rec, 1, 1 + 1024, (byte) 200);          // R plane
        Arrays.fill(rec, 1 + 1024, 1 + 2048, (byte) 100);   // G plane
        Arrays.fill(rec, 1 + 2048, 3073, (byte) 50);         // B plane
        rec[1 + 1024 + 32 * 5 + 7] = 7;                      // G at y=5, x=7
        Path f = dir.resolve("one.bin");
        TestFiles.write(f, rec);
        ByteImageDataset ds = CifarBinary.load(List.of(f), 1, 0, 10, List.of(), "one");
        assertEquals(200, ds.rawPixel(0, 0));
        assertEquals(100, ds.rawPixel(0, 1024));
        assertEquals(50, ds.rawPixel(0, 3071));
        assertEquals(7, ds.rawPixel(0, 1024 + 5 * 32 + 7));
        assertEquals(2, ds.label(0));
    }

    @Test
    void readsCifar10TestSplitAndMetaNames() throws IOException {
        writeCifar10(dir);
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        Files.write(dir.resolve("batches.meta.txt"), (String.join("\n", names) + "\n\n").getBytes());
        ByteImageDataset ds = CifarBinary.loadCifar10(dir, false);
        assertEquals(3, ds.size());
        assertEquals(names, ds.classNames());
        assertEquals(9, ds.label(0));
        assertEquals(4, ds.label(2));
        assertPixels(ds, 2, 102);
    }

    @Test
    void acceptsTheOfficialSubfolder() throws IOException {
        writeCifar10(dir.resolve("cifar-10-batches-bin"));
        assertEquals(3, CifarBinary.loadCifar10(dir, false).size());
    }

    @Test
    void readsCifar100FineAndCoarseLabels() throws IOException {
        int[][] labels = {{19, 99}, {0, 42}, {7, 3}};
        TestFiles.write(dir.resolve("train.bin"), TestFiles.cifarRecords(labels, 5));
        ByteImageDataset fine = CifarBinary.loadCifar100(dir, true, CifarBinary.Cifar100Label.FINE);
        ByteImageDataset coarse = CifarBinary.loadCifar100(dir, true, CifarBinary.Cifar100Label.COARSE);
        assertEquals(100, fine.numClasses());
        assertEquals(20, coarse.numClasses());
        for (int r = 0; r < 3; r++) {
            assertEquals(labels[r][1], fine.label(r));
            assertEquals(labels[r][0], coarse.label(r));
            assertPixels(fine, r, 5 + r);
        }
    }

    @Test
    void rejectsTruncatedCifar10Batch() throws IOException {
        writeCifar10(dir);
        Path f = dir.resolve("data_batch_3.bin");
        byte[] b = Files.readAllBytes(f);
        TestFiles.write(f, Arrays.copyOf(b, b.length - 100));
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.loadCifar10(dir, true));
        assertMentions(e.getMessage(), f.toString(), String.valueOf(b.length - 100), "3073-byte records", "truncated");
    }

    @Test
    void rejectsTruncatedCifar100File() throws IOException {
        Path f = dir.resolve("test.bin");
        byte[] b = TestFiles.cifarRecords(new int[][] {{1, 2}, {3, 4}}, 0);
        TestFiles.write(f, Arrays.copyOf(b, b.length - 1));
        DatasetException e = assertThrows(DatasetException.class,
                () -> CifarBinary.loadCifar100(dir, false, CifarBinary.Cifar100Label.FINE));
        assertMentions(e.getMessage(), f.toString(), "3074-byte records");
    }

    @Test
    void rejectsCifar10FileReadAsCifar100() throws IOException {
        Path f = dir.resolve("test.bin");
        TestFiles.write(f, TestFiles.cifarRecords(new int[][] {{1}, {3}}, 0)); // 2 x 3073 bytes
        assertThrows(DatasetException.class, () -> CifarBinary.loadCifar100(dir, false, CifarBinary.Cifar100Label.FINE));
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        writeCifar10(dir);
        TestFiles.write(dir.resolve("test_batch.bin"), new byte[0]);
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.loadCifar10(dir, false));
        assertMentions(e.getMessage(), "test_batch.bin", "non-zero");
    }

    @Test
    void rejectsMissingBatch() throws IOException {
        writeCifar10(dir);
        Files.delete(dir.resolve("data_batch_4.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.loadCifar10(dir, true));
        assertMentions(e.getMessage(), "data_batch_4.bin", "not found");
    }

    @Test
    void rejectsLabelOutOfRange() throws IOException {
        writeCifar10(dir);
        Path f = dir.resolve("test_batch.bin");
        TestFiles.write(f, TestFiles.cifarRecords(new int[][] {{1}, {10}}, 0));
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.loadCifar10(dir, false));
        assertMentions(e.getMessage(), f.toString(), "record 1", "label 10");
    }

    @Test
    void rejectsWrongNumberOfClassNames() throws IOException {
        writeCifar10(dir);
        Files.write(dir.resolve("batches.meta.txt"), "a\nb\n".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.loadCifar10(dir, false));
        assertMentions(e.getMessage(), "batches.meta.txt", "2 class names");
    }

    /** Issue 16, item 6: a class-name file that is not UTF-8 failed with "Input length = 1" and no file name. */
    @Test
    void classNamesThatAreNotUtf8AreRefusedByName() throws IOException {
        writeCifar10(dir);
        Files.write(dir.resolve("batches.meta.txt"), new byte[] {'a', '\n', (byte) 0xff, 'b', '\n'});
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinary.loadCifar10(dir, false));
        assertMentions(e.getMessage(), "batches.meta.txt", "not UTF-8", "byte 2");
    }
}
