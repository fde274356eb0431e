package dev.apoptosis.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.AtomicFile;
import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.checkpoint.CheckpointException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 2: writes renamed their temporary file over whatever the target was (a FIFO or, as
 * root, /dev/null became a regular file; a symlink was replaced and its target left stale), a FIFO
 * given as a checkpoint hung the reader, and a killed write left a .tmp file nothing removed.
 */
class SpecialFilesTest {
    @TempDir
    Path dir;

    private static void writeText(Path p, String s) throws Exception {
        AtomicFile.write(p, out -> out.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aFifoIsNotReplaced() throws Exception {
        Path fifo = SpecialFiles.fifo(dir.resolve("out.ckpt"));
        OutputFileException e = assertThrows(OutputFileException.class, () -> writeText(fifo, "x"));
        assertTrue(e.getMessage().contains(fifo.toString()) && e.getMessage().contains("FIFO"), e.getMessage());
        assertFalse(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "the FIFO was replaced by a regular file");
        assertEquals(List.of(fifo), list(), "a temporary file was left");
    }

    @Test
    void aDeviceNodeIsNotReplaced() {
        Path devNull = Path.of("/dev/null");
        if (!Files.exists(devNull)) return;
        OutputFileException e = assertThrows(OutputFileException.class, () -> OutputTarget.check(devNull));
        assertTrue(e.getMessage().contains("character device"), e.getMessage());
    }

    @Test
    void aSymbolicLinkIsRefusedAndBothFilesStayAsTheyWere() throws Exception {
        Path real = dir.resolve("real.ckpt");
        writeText(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.ckpt"), real);
        OutputFileException e = assertThrows(OutputFileException.class, () -> writeText(link, "new"));
        assertTrue(e.getMessage().contains("symbolic link") && e.getMessage().contains(real.toString()), e.getMessage());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("old", Files.readString(real));
    }

    @Test
    void aDirectoryIsRefusedBeforeAnyWork() throws Exception {
        Path d = Files.createDirectory(dir.resolve("d.ckpt"));
        assertTrue(assertThrows(OutputFileException.class, () -> OutputTarget.check(d)).getMessage().contains("directory"));
    }

    @Test
    void aFifoGivenAsACheckpointIsRefusedNotWaitedOn() throws Exception {
        Path fifo = SpecialFiles.fifo(dir.resolve("in.ckpt"));
        CheckpointException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(CheckpointException.class, () -> Checkpoint.read(fifo)));
        assertTrue(e.getMessage().contains(fifo.toString()) && e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void aFifoGivenAsADatasetFileIsRefusedNotWaitedOn() throws Exception {
        Path labels = SpecialFiles.fifo(dir.resolve("train-labels-idx1-ubyte"));
        Path images = Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[16]);
        dev.apoptosis.data.DatasetException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(dev.apoptosis.data.DatasetException.class,
                        () -> dev.apoptosis.data.IdxFiles.load(images, labels, "t", 10, List.of())));
        assertTrue(e.getMessage().contains(labels.toString()) && e.getMessage().contains("FIFO"), e.getMessage());
        Path archive = SpecialFiles.fifo(dir.resolve("data.tar.gz"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(dev.apoptosis.data.DatasetException.class,
                () -> dev.apoptosis.data.ImageFolder.loadTar(archive, "x", dir.resolve("cache"), "t")));
    }

    @Test
    void orphanTemporaryFilesOfTheTargetAreRemovedByTheNextWrite() throws Exception {
        Path target = dir.resolve("model.ckpt");
        Path orphan = Files.write(dir.resolve(".model.ckpt.12345.tmp"), new byte[1000]);
        Path other = Files.write(dir.resolve(".other.ckpt.12345.tmp"), new byte[10]);
        writeText(target, "content");
        assertFalse(Files.exists(orphan), "the orphan of a killed write is still there");
        assertTrue(Files.exists(other), "another target's temporary file was removed");
        assertArrayEquals("content".getBytes(java.nio.charset.StandardCharsets.UTF_8), Files.readAllBytes(target));
    }

    @Test
    void aFolderThatAcceptsNoFilesFailsAtTheCheckNamingTheTarget() {
        Path target = Path.of("/proc/x.ckpt");
        if (!Files.isDirectory(Path.of("/proc"))) return;
        OutputFileException e = assertThrows(OutputFileException.class, () -> OutputTarget.check(target));
        assertTrue(e.getMessage().startsWith("cannot write /proc/x.ckpt"), e.getMessage());
    }

    private List<Path> list() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
