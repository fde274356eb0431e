package dev.apoptosis.data;

import static dev.apoptosis.data.TestFiles.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.Parallel;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding of image-folder trees (no cache: see {@link ImageCacheTest}). */
class ImageFolderTest {
    @TempDir
    Path root;

    static int red(int x, int y, int id) {
        return (10 * x + 3 * y + 40 * id) & 0xFF;
    }

    static int green(int x, int y, int id) {
        return (200 - 7 * x + 5 * y + id) & 0xFF;
    }

    static int blue(int x, int y, int id) {
        return (x * y + 17 * id) & 0xFF;
    }

    static BufferedImage image(int w, int h, int id) {
        return TestFiles.rgbImage(w, h, (x, y, c) -> c == 0 ? red(x, y, id) : c == 1 ? green(x, y, id) : blue(x, y, id));
    }

    /** Asserts that sample i holds image(id) exactly, as R, G, B planes. */
    static void assertImage(ByteImageDataset ds, int i, int id) {
        int h = ds.sampleShape()[1], w = ds.sampleShape()[2], plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                assertEquals(red(x, y, id), ds.rawPixel(i, p), "R of sample " + i + " at " + x + "," + y);
                assertEquals(green(x, y, id), ds.rawPixel(i, plane + p), "G of sample " + i);
                assertEquals(blue(x, y, id), ds.rawPixel(i, 2 * plane + p), "B of sample " + i);
            }
        }
    }

    /** Classes "b_dog", "C", "a_cat" (sorted by name: C, a_cat, b_dog) with files written out of order. */
    static void writeTree(Path root, int w, int h) throws IOException {
        TestFiles.writePng(image(w, h, 4), root.resolve("b_dog/z.png"));
        TestFiles.writePng(image(w, h, 3), root.resolve("b_dog/10.png"));
        TestFiles.writePng(image(w, h, 0), root.resolve("C/img.PNG"));
        TestFiles.writePng(image(w, h, 2), root.resolve("a_cat/b.png"));
        TestFiles.writePng(image(w, h, 1), root.resolve("a_cat/a.png"));
        Files.writeString(root.resolve("a_cat/.DS_Store"), "ignored");
    }

    @Test
    void decodesPngsExactlyInTorchvisionOrder() throws IOException {
        writeTree(root, 5, 4);
        ByteImageDataset ds = ImageFolder.loadFolder(root, null, "t").dataset();
        assertEquals(List.of("C", "a_cat", "b_dog"), ds.classNames());
        assertArrayEquals(new int[] {3, 4, 5}, ds.sampleShape());
        assertEquals(5, ds.size());
        int[] labels = {0, 1, 1, 2, 2};
        for (int i = 0; i < 5; i++) {
            assertEquals(labels[i], ds.label(i), "label of sample " + i);
            assertImage(ds, i, i); // ids were chosen to equal the sorted position
        }
    }

    @Test
    void resultDoesNotDependOnThreadCount() throws IOException {
        for (int i = 0; i < 23; i++) TestFiles.writePng(image(6, 6, i), root.resolve("k" + (i % 3) + "/" + i + ".png"));
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            ByteImageDataset one = ImageFolder.loadFolder(root, null, "t").dataset();
            Parallel.setThreads(2);
            ByteImageDataset two = ImageFolder.loadFolder(root, null, "t").dataset();
            assertArrayEquals(one.pixelBytes(), two.pixelBytes());
            assertArrayEquals(one.labelArray(), two.labelArray());
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void greyPngIsReplicatedWithoutGammaChange() throws IOException {
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = {0, 1, 60, 128, 200, 255};
        for (int i = 0; i < 6; i++) g.getRaster().setSample(i % 3, i / 3, 0, values[i]);
        TestFiles.writePng(g, root.resolve("a/g.png"));
        ByteImageDataset ds = ImageFolder.loadFolder(root, null, "t").dataset();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 6; i++) assertEquals(values[i], ds.rawPixel(0, c * 6 + i), "channel " + c + " pixel " + i);
        }
    }

    @Test
    void palettePngAndAlphaPngDecodeToTheirRgb() throws IOException {
        byte[] r = {(byte) 255, 0, 10}, gr = {0, (byte) 255, 20}, b = {0, 0, 30};
        BufferedImage pal = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 3, r, gr, b));
        pal.getRaster().setSample(0, 0, 0, 0);
        pal.getRaster().setSample(1, 0, 0, 1);
        pal.getRaster().setSample(0, 1, 0, 2);
        pal.getRaster().setSample(1, 1, 0, 2);
        TestFiles.writePng(pal, root.resolve("a/p.png"));
        BufferedImage alpha = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        alpha.setRGB(0, 0, 0x00FF0000); // fully transparent red: the colour survives, alpha is dropped
        alpha.setRGB(1, 0, 0x8000FF00);
        alpha.setRGB(0, 1, 0xFF0A141E);
        alpha.setRGB(1, 1, 0xFF0A141E);
        TestFiles.writePng(alpha, root.resolve("b/q.png"));
        ByteImageDataset ds = ImageFolder.loadFolder(root, null, "t").dataset();
        for (int i = 0; i < 2; i++) {
            assertEquals(255, ds.rawPixel(i, 0), "R(0,0) of " + i);
            assertEquals(0, ds.rawPixel(i, 4), "G(0,0) of " + i);
            assertEquals(255, ds.rawPixel(i, 4 + 1), "G(1,0) of " + i);
            assertEquals(10, ds.rawPixel(i, 3));
            assertEquals(20, ds.rawPixel(i, 4 + 3));
            assertEquals(30, ds.rawPixel(i, 8 + 3));
        }
    }

    @Test
    void decodesHighQualityJpegCloseToTheSource() throws IOException {
        BufferedImage smooth = TestFiles.rgbImage(16, 16, (x, y, c) -> 40 + 6 * x + 3 * y + 30 * c);
        TestFiles.writeJpeg(smooth, root.resolve("cls/a.jpg"), 1.0f);
        TestFiles.writeJpeg(smooth, root.resolve("cls/b.jpeg"), 1.0f);
        ByteImageDataset ds = ImageFolder.loadFolder(root, null, "t").dataset();
        assertArrayEquals(new int[] {3, 16, 16}, ds.sampleShape());
        int worst = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    int expected = 40 + 6 * x + 3 * y + 30 * c;
                    worst = Math.max(worst, Math.abs(ds.rawPixel(0, (c * 16 + y) * 16 + x) - expected));
                }
            }
        }
        assertTrue(worst <= 6, "JPEG at quality 1.0 should be within 6 levels of a smooth source, worst " + worst);
        for (int k = 0; k < 3 * 256; k++) assertEquals(ds.rawPixel(0, k), ds.rawPixel(1, k), "same JPEG decodes identically");
    }

    @Test
    void rejectsImagesOfDifferentSizesNamingTheFile() throws IOException {
        TestFiles.writePng(image(4, 4, 0), root.resolve("a/1.png"));
        TestFiles.writePng(image(4, 4, 0), root.resolve("a/2.png"));
        TestFiles.writePng(image(4, 5, 0), root.resolve("b/3.png"));
        TestFiles.writePng(image(3, 4, 0), root.resolve("b/4.png"));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        assertMentions(e.getMessage(), root.resolve("b/3.png").toString(), "4x5", "4x4");
    }

    @Test
    void rejectsCorruptImageNamingTheFile() throws IOException {
        TestFiles.writePng(image(4, 4, 0), root.resolve("a/1.png"));
        byte[] png = Files.readAllBytes(root.resolve("a/1.png"));
        TestFiles.write(root.resolve("a/2.png"), java.util.Arrays.copyOf(png, 30));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        assertMentions(e.getMessage(), root.resolve("a/2.png").toString());
    }

    @Test
    void rejectsNonImageContent() throws IOException {
        TestFiles.writePng(image(4, 4, 0), root.resolve("a/1.png"));
        Files.writeString(root.resolve("a/2.jpg"), "not really a jpeg");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        assertMentions(e.getMessage(), root.resolve("a/2.jpg").toString(), "not a JPEG or PNG");
    }

    @Test
    void rejectsOtherFilesNestedFoldersAndEmptyClasses() throws IOException {
        TestFiles.writePng(image(4, 4, 0), root.resolve("a/1.png"));
        Files.writeString(root.resolve("a/notes.txt"), "x");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        assertMentions(e.getMessage(), "notes.txt", "not a .jpg, .jpeg or .png");
        Files.delete(root.resolve("a/notes.txt"));
        Files.createDirectories(root.resolve("a/sub"));
        e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        assertMentions(e.getMessage(), "sub", "nested folder");
        Files.delete(root.resolve("a/sub"));
        Files.createDirectories(root.resolve("empty"));
        e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        assertMentions(e.getMessage(), "empty", "holds no images");
        Files.delete(root.resolve("empty"));
        Files.writeString(root.resolve("README"), "x");
        e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        assertMentions(e.getMessage(), "README", "only class folders");
    }

    @Test
    void rejectsMissingRoot() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageFolder.loadFolder(root.resolve("nope"), null, "t"));
        assertMentions(e.getMessage(), "nope", "not found");
    }
}
