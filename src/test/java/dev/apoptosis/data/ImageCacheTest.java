package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decoded-image cache: creation, reuse, staleness and corruption handling. */
class ImageCacheTest {
    @TempDir
    Path tmp;
    Path root;
    Path cache;

    @BeforeEach
    void tree() throws IOException {
        root = tmp.resolve("images");
        cache = tmp.resolve("cache");
        ImageFolderTest.writeTree(root, 6, 5);
    }

    private ImageFolder.Loaded load() throws IOException {
        return ImageFolder.loadFolder(root, cache, "tree");
    }

    private static void assertSameData(ByteImageDataset a, ByteImageDataset b) {
        assertArrayEquals(a.pixelBytes(), b.pixelBytes());
        assertArrayEquals(a.labelArray(), b.labelArray());
        assertArrayEquals(a.sampleShape(), b.sampleShape());
        assertEquals(a.classNames(), b.classNames());
        assertEquals(a.numClasses(), b.numClasses());
    }

    private List<Path> cacheFolderFiles() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.toList();
        }
    }

    @Test
    void createsThenReusesTheCache() throws IOException {
        ImageFolder.Loaded first = load();
        assertEquals(ImageFolder.CacheStatus.CREATED, first.cacheStatus());
        assertTrue(Files.isRegularFile(first.cacheFile()));
        assertEquals(List.of(first.cacheFile()), cacheFolderFiles(), "only the cache file, no temporary files left");
        ImageFolder.Loaded second = load();
        assertEquals(ImageFolder.CacheStatus.HIT, second.cacheStatus());
        assertSameData(first.dataset(), second.dataset());
        ImageFolderTest.assertImage(second.dataset(), 4, 4);
    }

    @Test
    void hitReadsTheCacheRatherThanTheImages() throws IOException {
        load();
        // Same size and mtime but undecodable bytes: invisible to the fingerprint, so a hit must not decode.
        Path f = root.resolve("C/img.PNG");
        FileTime mtime = Files.getLastModifiedTime(f);
        Files.write(f, new byte[(int) Files.size(f)]);
        Files.setLastModifiedTime(f, mtime);
        ImageFolder.Loaded l = load();
        assertEquals(ImageFolder.CacheStatus.HIT, l.cacheStatus());
        ImageFolderTest.assertImage(l.dataset(), 0, 0);
    }

    @Test
    void changedModificationTimeMakesTheCacheStale() throws IOException {
        load();
        Path f = root.resolve("a_cat/a.png");
        TestFiles.writePng(ImageFolderTest.image(6, 5, 7), f);
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
        ImageFolder.Loaded l = load();
        assertEquals(ImageFolder.CacheStatus.REBUILT, l.cacheStatus());
        assertTrue(l.detail().contains("stale"), l.detail());
        ImageFolderTest.assertImage(l.dataset(), 1, 7);
        assertEquals(ImageFolder.CacheStatus.HIT, load().cacheStatus());
    }

    @Test
    void addedOrRemovedFilesMakeTheCacheStale() throws IOException {
        assertEquals(5, load().dataset().size());
        TestFiles.writePng(ImageFolderTest.image(6, 5, 0), root.resolve("C/zz.png"));
        ImageFolder.Loaded l = load();
        assertEquals(ImageFolder.CacheStatus.REBUILT, l.cacheStatus());
        assertEquals(6, l.dataset().size());
        Files.delete(root.resolve("C/zz.png"));
        Files.delete(root.resolve("b_dog/z.png"));
        l = load();
        assertEquals(ImageFolder.CacheStatus.REBUILT, l.cacheStatus());
        assertEquals(4, l.dataset().size());
    }

    private void corruptAndExpectRebuild(String expectedReason, Corruption c) throws IOException {
        ImageFolder.Loaded first = load();
        c.apply(first.cacheFile());
        ImageFolder.Loaded l = load();
        assertEquals(ImageFolder.CacheStatus.REBUILT, l.cacheStatus());
        assertTrue(l.detail().contains(expectedReason), "reason '" + l.detail() + "' should mention " + expectedReason);
        assertSameData(first.dataset(), l.dataset());
        assertEquals(ImageFolder.CacheStatus.HIT, load().cacheStatus(), "the rebuilt cache is valid");
    }

    interface Corruption {
        void apply(Path file) throws IOException;
    }

    @Test
    void flippedPixelByteFailsTheChecksum() throws IOException {
        corruptAndExpectRebuild("checksum", f -> {
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                long pos = r.length() - 10;
                r.seek(pos);
                int b = r.read();
                r.seek(pos);
                r.write(b ^ 0x40);
            }
        });
    }

    @Test
    void truncatedCacheIsRebuilt() throws IOException {
        corruptAndExpectRebuild("length", f -> {
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                r.setLength(r.length() - 1);
            }
        });
    }

    @Test
    void garbageCacheIsRebuilt() throws IOException {
        corruptAndExpectRebuild("magic", f -> Files.writeString(f, "definitely not a cache"));
    }

    @Test
    void emptyCacheIsRebuilt() throws IOException {
        corruptAndExpectRebuild("truncated", f -> Files.write(f, new byte[0]));
    }

    @Test
    void otherFormatVersionIsRebuilt() throws IOException {
        corruptAndExpectRebuild("version", f -> {
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                r.seek(ImageCache.MAGIC.length);
                r.writeInt(ImageCache.VERSION + 1);
            }
        });
    }

    @Test
    void differentSourcesGetDifferentCacheFiles() throws IOException {
        Path other = tmp.resolve("other");
        ImageFolderTest.writeTree(other, 6, 5);
        Path a = load().cacheFile();
        Path b = ImageFolder.loadFolder(other, cache, "tree").cacheFile();
        assertNotEquals(a, b);
        assertEquals(ImageFolder.CacheStatus.HIT, load().cacheStatus());
    }

    @Test
    void noCacheFolderMeansNoCaching() throws IOException {
        ImageFolder.Loaded l = ImageFolder.loadFolder(root, null, "tree");
        assertEquals(ImageFolder.CacheStatus.UNCACHED, l.cacheStatus());
        assertTrue(Files.notExists(cache));
    }
}
