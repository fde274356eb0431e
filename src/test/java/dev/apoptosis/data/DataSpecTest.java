package dev.apoptosis.data;

import static dev.apoptosis.data.TestFiles.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSpecTest {
    @TempDir
    Path tmp;

    @Test
    void parsesEveryForm() {
        assertEquals(DataSpec.Kind.DIGITS, DataSpec.parse("digits").kind());
        assertEquals(DataSpec.Kind.MNIST, DataSpec.parse(" mnist ").kind());
        assertEquals(DataSpec.Kind.FASHION_MNIST, DataSpec.parse("fashion-mnist").kind());
        assertEquals(DataSpec.Kind.CIFAR10, DataSpec.parse("cifar10").kind());
        assertNull(DataSpec.parse("cifar10").dir());
        DataSpec s = DataSpec.parse("cifar10-bin:/x/y");
        assertEquals(DataSpec.Kind.CIFAR10_BIN, s.kind());
        assertEquals(Path.of("/x/y"), s.dir());
        assertEquals(DataSpec.Kind.CIFAR100_BIN, DataSpec.parse("cifar100-bin:rel/dir").kind());
        assertEquals(DataSpec.Kind.IDX, DataSpec.parse("idx:d").kind());
        assertEquals(DataSpec.Kind.FOLDER, DataSpec.parse("folder:C:/images").kind());
        assertEquals(Path.of("C:/images"), DataSpec.parse("folder:C:/images").dir());
    }

    @Test
    void unknownSpecListsTheValidForms() {
        for (String bad : new String[] {"imagenet", "", "cifar-10", "folder", "folder:", "mnist:dir", "CIFAR10"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSpec.parse(bad), bad);
            assertMentions(e.getMessage(), "'" + bad + "'", "digits", "mnist", "fashion-mnist", "cifar10",
                    "cifar10-bin:DIR", "cifar100-bin:DIR", "idx:DIR", "folder:DIR");
        }
    }

    @Test
    void digitsSplitIsFixedDisjointAndComplete() {
        int[][] s = DataSpec.digitsSplit(1797);
        assertEquals(1497, s[0].length);
        assertEquals(300, s[1].length);
        int[] all = new int[1797];
        for (int i : s[0]) all[i]++;
        for (int i : s[1]) all[i]++;
        for (int i = 0; i < all.length; i++) assertEquals(1, all[i], "sample " + i + " in exactly one part");
        int[] sorted = s[1].clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, s[1]);
        assertArrayEquals(s[1], DataSpec.digitsSplit(1797)[1], "fixed");
        assertTrue(s[1][0] < 100 && s[1][299] > 1697, "test samples are spread over the file, not a block");
    }

    private Path root() throws IOException {
        Path root = tmp.resolve("datasets");
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < 400; r++) {
            StringJoiner j = new StringJoiner(",");
            for (int k = 0; k < 64; k++) j.add(Integer.toString((r + k) % 17));
            csv.append(j.add(Integer.toString(r % 10))).append('\n');
        }
        TestFiles.write(root.resolve("digits/digits.csv.gz"), TestFiles.gzip(csv.toString().getBytes()));
        for (String ds : List.of("mnist", "fashion-mnist")) {
            for (String split : List.of("train", "t10k")) {
                int n = split.equals("train") ? 12 : 4;
                Path d = root.resolve(ds);
                TestFiles.write(d.resolve(split + "-images-idx3-ubyte.gz"),
                        TestFiles.gzip(TestFiles.idxImages(0x803, n, 28, 28, TestFiles.patternPixels(n, 784))));
                TestFiles.write(d.resolve(split + "-labels-idx1-ubyte.gz"),
                        TestFiles.gzip(TestFiles.idxLabels(0x801, LoaderFixtures.labels(n, 10))));
            }
        }
        TestFiles.Tar tar = new TestFiles.Tar();
        for (String split : List.of("train", "test")) {
            for (String cls : List.of("airplane", "bird", "cat")) {
                for (int i = 0; i < (split.equals("train") ? 3 : 1); i++) {
                    Path png = tmp.resolve("png/" + split + cls + i + ".png");
                    TestFiles.writePng(ImageFolderTest.image(32, 32, i + cls.length()), png);
                    tar.file("cifar10/" + split + "/" + cls + "/" + String.format("%04d.png", i), Files.readAllBytes(png));
                }
            }
        }
        TestFiles.write(root.resolve("cifar10-jpeg.tar.gz"), TestFiles.gzip(tar.bytes()));
        return root;
    }

    @Test
    void loadsNamedDatasetsFromTheDataRoot() throws IOException {
        Path root = root();
        Path cache = tmp.resolve("cache");
        DataSplits digits = DataSpec.parse("digits").load(root, cache);
        assertEquals(100, digits.train().size());
        assertEquals(300, digits.test().size());
        assertArrayEquals(new int[] {1, 8, 8}, digits.train().sampleShape());

        DataSplits mnist = DataSpec.parse("mnist").load(root, cache);
        assertEquals(12, mnist.train().size());
        assertEquals(4, mnist.test().size());
        assertEquals(10, mnist.test().numClasses());
        assertEquals(0.1307f, ((Normalize) mnist.trainTransform()).mean()[0]);

        DataSplits fashion = DataSpec.parse("fashion-mnist").load(root, cache);
        assertEquals("Ankle boot", fashion.train().classNames().get(9));

        DataSplits cifar = DataSpec.parse("cifar10").load(root, cache);
        assertEquals(9, cifar.train().size());
        assertEquals(3, cifar.test().size());
        assertEquals(List.of("airplane", "bird", "cat"), cifar.train().classNames());
        assertTrue(((Compose) cifar.trainTransform()).steps().get(0) instanceof RandomCrop);
        assertTrue(cifar.testTransform() instanceof Normalize);
        try (DataLoader l = cifar.trainLoader(4, 1)) {
            assertArrayEquals(new int[] {4, 3, 32, 32}, l.epoch(0).next().images().shape());
        }
        try (var files = Files.list(cache)) {
            assertEquals(2, files.count(), "train and test caches written");
        }
    }

    @Test
    void loadsDirectoryForms() throws IOException {
        Path c10 = tmp.resolve("c10");
        for (int b = 1; b <= 5; b++) TestFiles.write(c10.resolve("data_batch_" + b + ".bin"), TestFiles.cifarRecords(new int[][] {{b}}, b));
        TestFiles.write(c10.resolve("test_batch.bin"), TestFiles.cifarRecords(new int[][] {{0}, {1}}, 9));
        DataSplits s = DataSpec.parse("cifar10-bin:" + c10).load(tmp, null);
        assertEquals(5, s.train().size());
        assertEquals(2, s.test().size());

        Path c100 = tmp.resolve("c100");
        TestFiles.write(c100.resolve("train.bin"), TestFiles.cifarRecords(new int[][] {{1, 50}, {2, 99}}, 1));
        TestFiles.write(c100.resolve("test.bin"), TestFiles.cifarRecords(new int[][] {{3, 7}}, 2));
        DataSplits s100 = DataSpec.parse("cifar100-bin:" + c100).load(tmp, null);
        assertEquals(100, s100.train().numClasses());
        assertEquals(99, s100.train().label(1));
        assertEquals(0.5071f, ((Normalize) s100.testTransform()).mean()[0]);

        Path idx = tmp.resolve("idx");
        TestFiles.write(idx.resolve("train-images-idx3-ubyte"), TestFiles.idxImages(0x803, 3, 2, 2, TestFiles.patternPixels(3, 4)));
        TestFiles.write(idx.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(0x801, new int[] {0, 1, 2}));
        TestFiles.write(idx.resolve("t10k-images-idx3-ubyte"), TestFiles.idxImages(0x803, 1, 2, 2, TestFiles.patternPixels(1, 4)));
        TestFiles.write(idx.resolve("t10k-labels-idx1-ubyte"), TestFiles.idxLabels(0x801, new int[] {3}));
        DatasetException e = assertThrows(DatasetException.class, () -> DataSpec.parse("idx:" + idx).load(tmp, null));
        assertMentions(e.getMessage(), "label 3", "3 classes");
        TestFiles.write(idx.resolve("t10k-labels-idx1-ubyte"), TestFiles.idxLabels(0x801, new int[] {2}));
        DataSplits si = DataSpec.parse("idx:" + idx).load(tmp, null);
        assertEquals(3, si.test().numClasses());
    }

    /** Issue 16, item 4: test images of another size than the training images failed only after a whole epoch, unnamed. */
    @Test
    void idxTestImagesOfAnotherSizeAreRefusedByName() throws IOException {
        Path idx = tmp.resolve("idx");
        TestFiles.write(idx.resolve("train-images-idx3-ubyte"), TestFiles.idxImages(0x803, 3, 2, 2, TestFiles.patternPixels(3, 4)));
        TestFiles.write(idx.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(0x801, new int[] {0, 1, 2}));
        TestFiles.write(idx.resolve("t10k-images-idx3-ubyte"), TestFiles.idxImages(0x803, 1, 3, 3, TestFiles.patternPixels(1, 9)));
        TestFiles.write(idx.resolve("t10k-labels-idx1-ubyte"), TestFiles.idxLabels(0x801, new int[] {2}));
        DatasetException e = assertThrows(DatasetException.class, () -> DataSpec.parse("idx:" + idx).load(tmp, null));
        assertMentions(e.getMessage(), "t10k-images-idx3-ubyte", "[1, 3, 3]", "[1, 2, 2]");
    }

    @Test
    void folderFormChecksClassesAgree() throws IOException {
        Path d = tmp.resolve("f");
        ImageFolderTest.writeTree(d.resolve("train"), 8, 8);
        ImageFolderTest.writeTree(d.resolve("test"), 8, 8);
        DataSplits s = DataSpec.parse("folder:" + d).load(tmp, tmp.resolve("cache"));
        assertEquals(5, s.train().size());
        assertEquals(3, ((Compose) s.trainTransform()).steps().size());
        Files.walk(d.resolve("test/C")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        DatasetException e = assertThrows(DatasetException.class, () -> DataSpec.parse("folder:" + d).load(tmp, tmp.resolve("cache")));
        assertMentions(e.getMessage(), "train classes [C, a_cat, b_dog]", "test classes [a_cat, b_dog]");
    }

    @Test
    void missingDataSaysWhereItLookedAndHowToFixIt() {
        Path nowhere = tmp.resolve("nowhere");
        for (String spec : List.of("digits", "mnist", "fashion-mnist", "cifar10")) {
            DatasetException e = assertThrows(DatasetException.class, () -> DataSpec.parse(spec).load(nowhere, null), spec);
            assertMentions(e.getMessage(), nowhere.toString(), DataPaths.DATA_ENV);
        }
        DatasetException e = assertThrows(DatasetException.class, () -> DataSpec.parse("folder:" + nowhere).load(tmp, null));
        assertMentions(e.getMessage(), nowhere.toString(), "not found");
        assertFalse(e.getMessage().isBlank());
    }
}
