package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the real shared datasets when they are present ({@code <repo>/../shared/datasets} or
 * {@code APOPTOSIS_DATA}); each test is skipped when its files are absent.
 */
class RealDataSmokeTest {
    private static final Path ROOT = DataPaths.dataRoot();

    private static Path require(String relative) {
        Path p = ROOT.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "real data not present: " + p);
        return p;
    }

    private static int[] histogram(Dataset ds) {
        int[] h = new int[ds.numClasses()];
        for (int i = 0; i < ds.size(); i++) h[ds.label(i)]++;
        return h;
    }

    @Test
    void mnistTestLabels() throws IOException {
        Path dir = require("mnist");
        int[] labels = IdxFiles.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(10_000, labels.length);
        ByteImageDataset test = IdxFiles.loadSplit(dir, "t10k", "mnist/test", 10, List.of());
        assertArrayEquals(new int[] {1, 28, 28}, test.sampleShape());
        // The published MNIST test-set class counts.
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, histogram(test));
    }

    @Test
    void fashionMnistBothSplits() throws IOException {
        require("fashion-mnist");
        DataSplits s = DataSpec.parse("fashion-mnist").load(ROOT, null);
        assertEquals(60_000, s.train().size());
        assertEquals(10_000, s.test().size());
        for (int c : histogram(s.train())) assertEquals(6000, c);
        for (int c : histogram(s.test())) assertEquals(1000, c);
    }

    @Test
    void digits() throws IOException {
        Path f = require("digits/digits.csv.gz");
        ByteImageDataset all = DigitsCsv.load(f, "digits");
        assertEquals(1797, all.size());
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, histogram(all));
        DataSplits s = DataSpec.parse("digits").load(ROOT, null);
        assertEquals(1497, s.train().size());
        assertEquals(300, s.test().size());
        Normalize n = (Normalize) s.trainTransform();
        assertEquals(0.305, n.mean()[0], 0.01); // whole-set mean of value/16 is 0.3053
        assertEquals(0.376, n.std()[0], 0.01);
    }

    /** Decodes the CIFAR-10 test split from the JPEG tarball (10k images) into a temporary cache. */
    @Test
    void cifar10JpegTestSplit(@TempDir Path cache) throws IOException {
        Path archive = require("cifar10-jpeg.tar.gz");
        ImageFolder.Loaded l = ImageFolder.loadTar(archive, "cifar10/test", cache, "cifar10/test");
        ByteImageDataset test = l.dataset();
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {3, 32, 32}, test.sampleShape());
        assertEquals(CifarBinary.CIFAR10_CLASSES, test.classNames());
        for (int c : histogram(test)) assertEquals(1000, c);
        // Channel means of CIFAR-10 are R 0.49 > G 0.48 > B 0.45: checks the plane order.
        ChannelStats st = ChannelStats.of(test);
        assertEquals(0.4914, st.mean()[0], 0.01);
        assertEquals(0.4822, st.mean()[1], 0.01);
        assertEquals(0.4465, st.mean()[2], 0.01);
        assertTrue(st.mean()[0] > st.mean()[2]);
        assertEquals(ImageFolder.CacheStatus.HIT, ImageFolder.loadTar(archive, "cifar10/test", cache, "cifar10/test").cacheStatus());
    }
}
