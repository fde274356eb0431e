package dev.apoptosis.checkpoint;

import dev.apoptosis.io.OutputFileException;
import dev.apoptosis.io.OutputTarget;
import dev.apoptosis.io.TempFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that readers only ever see the old complete file or the new complete file.
 *
 * <p>The target must be absent or a regular file, never a symbolic link, FIFO or device
 * ({@link OutputTarget}, checked on every write). The content goes to a temporary file in the
 * target's directory (same file system, so the final rename is atomic), locked while it is written,
 * flushed and fsynced, then renamed over the target; the directory is fsynced so the rename itself
 * survives a crash. If anything fails (a full disk included), the temporary file is deleted and the
 * target is left as it was; a temporary file left by a killed process is deleted by the next write
 * of the same target ({@link TempFiles#removeOrphans}). Every failure names the target.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Produces the file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces {@code target} atomically with what {@code content} writes. */
    public static void write(Path target, Content content) throws IOException {
        Path abs = OutputTarget.check(target);
        Path dir = abs.getParent();
        TempFiles.removeOrphans(abs);
        Path tmp = null;
        boolean done = false;
        try {
            tmp = TempFiles.create(abs);
            keepPermissions(tmp, abs);
            // The channel (and its lock) stays open until the rename, so no other writer takes the file for an orphan.
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                TempFiles.lock(ch);
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(os);
                os.flush();
                ch.force(true);
                // The target may have been swapped for a link or a FIFO while the content was produced.
                OutputTarget.requireReplaceable(abs);
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new OutputFileException(target, "cannot replace it atomically: " + e.getMessage(), e);
                }
            }
            done = true;
            syncDirectory(dir);
        } catch (OutputFileException | IllegalArgumentException e) {
            throw e;
        } catch (IOException e) {
            throw new OutputFileException(target, e.toString(), e);
        } finally {
            if (tmp != null) {
                if (!done) Files.deleteIfExists(tmp);
                TempFiles.done(tmp);
            }
        }
    }

    /**
     * Temporary files are created private (rw-------); give the new file the old file's permissions,
     * or rw-r--r-- for a new file, as a plain write would under the usual umask.
     */
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) return;
        Set<PosixFilePermission> perms = Files.exists(target) ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /** fsync of the directory entry; some file systems refuse to open directories, which is harmless. */
    private static void syncDirectory(Path dir) {
        if (dir == null) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not supported here (e.g. some non-POSIX file systems): the rename is still atomic
        }
    }
}
