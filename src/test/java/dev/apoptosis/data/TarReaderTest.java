package dev.apoptosis.data;

import static dev.apoptosis.data.TestFiles.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarReaderTest {
    @TempDir
    Path dir;

    private static byte[] content(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) TestFiles.pattern(seed, i);
        return b;
    }

    /** Reads every entry: name -> content (directories map to null). */
    private static Map<String, byte[]> readAll(Path archive) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarReader t = TarReader.open(archive)) {
            TarReader.Entry e;
            while ((e = t.next()) != null) out.put(e.name(), e.directory() ? null : t.readContent());
        }
        return out;
    }

    @Test
    void readsFilesAndDirectoriesRawAndGzipped() throws IOException {
        String longName = "deep/" + "x".repeat(120) + ".bin";
        byte[] tar = new TestFiles.Tar().dir("top").file("top/a.txt", content(0, 1)).file("top/b.bin", content(512, 2))
                .file("top/c.bin", content(1000, 3)).file(longName, content(7, 4)).bytes();
        TestFiles.write(dir.resolve("x.tar"), tar);
        TestFiles.write(dir.resolve("x.tar.gz"), TestFiles.gzip(tar));
        for (String name : List.of("x.tar", "x.tar.gz")) {
            Map<String, byte[]> m = readAll(dir.resolve(name));
            assertEquals(List.of("top", "top/a.txt", "top/b.bin", "top/c.bin", longName), new ArrayList<>(m.keySet()));
            assertNull(m.get("top"));
            assertArrayEquals(content(0, 1), m.get("top/a.txt"));
            assertArrayEquals(content(512, 2), m.get("top/b.bin"));
            assertArrayEquals(content(1000, 3), m.get("top/c.bin"));
            assertArrayEquals(content(7, 4), m.get(longName));
        }
    }

    @Test
    void skipsUnreadContent() throws IOException {
        byte[] tar = new TestFiles.Tar().file("a", content(700, 1)).file("b", content(3, 2)).bytes();
        TestFiles.write(dir.resolve("t.tar"), tar);
        try (TarReader t = TarReader.open(dir.resolve("t.tar"))) {
            assertEquals("a", t.next().name());
            TarReader.Entry b = t.next();
            assertEquals("b", b.name());
            assertEquals(3, b.size());
            assertArrayEquals(content(3, 2), t.readContent());
            assertNull(t.next());
            assertNull(t.next());
        }
    }

    @Test
    void rejectsBadChecksum() throws IOException {
        byte[] tar = new TestFiles.Tar().file("a", content(10, 1)).file("b", content(10, 2)).bytes();
        tar[1024 + 10] ^= 1; // inside the second header's name field
        TestFiles.write(dir.resolve("t.tar"), tar);
        DatasetException e = assertThrows(DatasetException.class, () -> readAll(dir.resolve("t.tar")));
        assertMentions(e.getMessage(), dir.resolve("t.tar").toString(), "checksum");
    }

    @Test
    void rejectsMissingEndOfArchive() throws IOException {
        TestFiles.write(dir.resolve("t.tar"), new TestFiles.Tar().file("a", content(10, 1)).bytesWithoutEnd());
        DatasetException e = assertThrows(DatasetException.class, () -> readAll(dir.resolve("t.tar")));
        assertMentions(e.getMessage(), "end-of-archive", "after entry a");
    }

    @Test
    void rejectsTruncatedContent() throws IOException {
        byte[] tar = new TestFiles.Tar().file("a", content(2000, 1)).bytes();
        TestFiles.write(dir.resolve("t.tar"), Arrays.copyOf(tar, 512 + 1000));
        DatasetException e = assertThrows(DatasetException.class, () -> readAll(dir.resolve("t.tar")));
        assertMentions(e.getMessage(), "content of a");
    }

    @Test
    void rejectsLinksAndOtherTypes() throws IOException {
        TestFiles.write(dir.resolve("t.tar"), new TestFiles.Tar().file("a", content(1, 1)).entry("link", 0, '2').bytes());
        DatasetException e = assertThrows(DatasetException.class, () -> readAll(dir.resolve("t.tar")));
        assertMentions(e.getMessage(), "link", "unsupported tar type '2'");
    }

    @Test
    void rejectsNonTarData() throws IOException {
        byte[] junk = new byte[2048];
        Arrays.fill(junk, (byte) 'q');
        TestFiles.write(dir.resolve("t.tar"), junk);
        DatasetException e = assertThrows(DatasetException.class, () -> readAll(dir.resolve("t.tar")));
        assertMentions(e.getMessage(), "t.tar");
    }

    /** Archives written by the system's tar, in its default (GNU) and POSIX pax formats. */
    @Test
    void readsArchivesWrittenBySystemTar() throws Exception {
        Path src = dir.resolve("src");
        String deep = "d/" + "long-folder-name-".repeat(6) + "/" + "file-".repeat(25) + ".dat";
        Files.createDirectories(src.resolve(deep).getParent());
        Files.write(src.resolve(deep), content(1500, 9));
        Files.write(src.resolve("d/small.txt"), "hello".getBytes(StandardCharsets.UTF_8));
        for (String format : List.of("gnu", "posix", "ustar")) {
            Path out = dir.resolve(format + ".tar.gz");
            int rc;
            try {
                Process p = new ProcessBuilder("tar", "--format=" + format, "-czf", out.toString(), "-C", src.toString(), "d")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                rc = p.exitValue();
            } catch (IOException e) {
                rc = -1;
            }
            Assumptions.assumeTrue(rc == 0 || format.equals("ustar"), "system tar not available");
            if (rc != 0) continue; // ustar cannot store names over 255 characters: fine
            Map<String, byte[]> m = readAll(out);
            assertArrayEquals(content(1500, 9), m.get(deep), format + ": long path " + m.keySet());
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), m.get("d/small.txt"), format);
            assertTrue(m.containsKey("d") && m.get("d") == null, format + ": directory entry");
        }
    }

    @Test
    void imageFolderInsideATarMatchesTheSameFolderOnDisk() throws IOException {
        Path tree = dir.resolve("tree");
        ImageFolderTest.writeTree(tree, 5, 4);
        TestFiles.Tar tar = new TestFiles.Tar().dir("ds").dir("ds/train");
        for (String cls : List.of("b_dog", "C", "a_cat")) {
            tar.dir("ds/train/" + cls);
            try (var files = Files.list(tree.resolve(cls))) {
                for (Path f : files.sorted((a, b) -> b.compareTo(a)).toList()) { // archive order must not matter
                    tar.file("ds/train/" + cls + "/" + f.getFileName(), Files.readAllBytes(f));
                }
            }
        }
        tar.file("ds/test/C/other.png", Files.readAllBytes(tree.resolve("C/img.PNG")));
        Path archive = dir.resolve("ds.tar.gz");
        TestFiles.write(archive, TestFiles.gzip(tar.bytes()));

        ByteImageDataset fromDisk = ImageFolder.loadFolder(tree, null, "d").dataset();
        ImageFolder.Loaded fromTar = ImageFolder.loadTar(archive, "ds/train", dir.resolve("cache"), "t");
        assertEquals(ImageFolder.CacheStatus.CREATED, fromTar.cacheStatus());
        assertEquals(fromDisk.classNames(), fromTar.dataset().classNames());
        assertArrayEquals(fromDisk.labelArray(), fromTar.dataset().labelArray());
        assertArrayEquals(fromDisk.pixelBytes(), fromTar.dataset().pixelBytes());
        assertEquals(ImageFolder.CacheStatus.HIT, ImageFolder.loadTar(archive, "ds/train", dir.resolve("cache"), "t").cacheStatus());
        assertEquals(1, ImageFolder.loadTar(archive, "ds/test", null, "t").dataset().size());
        // A copied or re-provisioned archive (new mtime, same bytes) keeps its cache ...
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(12345000L));
        assertEquals(ImageFolder.CacheStatus.HIT, ImageFolder.loadTar(archive, "ds/train", dir.resolve("cache"), "t").cacheStatus());
        // ... while different bytes under the same mtime do not.
        byte[] changed = tar.file("ds/test/C/more.png", Files.readAllBytes(tree.resolve("C/img.PNG"))).bytes();
        byte[] gz = TestFiles.gzip(changed);
        TestFiles.write(archive, gz);
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(12345000L));
        ImageFolder.Loaded stale = ImageFolder.loadTar(archive, "ds/train", dir.resolve("cache"), "t");
        assertEquals(ImageFolder.CacheStatus.REBUILT, stale.cacheStatus());
        assertMentions(stale.detail(), "stale");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.loadTar(archive, "ds/valid", null, "t"));
        assertMentions(e.getMessage(), "no class folders", "ds/valid");
        assertFalse(e.getMessage().isEmpty());
    }
}
