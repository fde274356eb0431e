package dev.apoptosis.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The temporary files of atomic writes: {@code .<target name>.<random>.tmp} next to the target, so
 * the final rename stays on one file system.
 *
 * <p>A writer holds an exclusive lock on its temporary file while it writes ({@link #lock}). A
 * process killed mid-write leaves its file behind, but the operating system drops its lock; so
 * {@link #removeOrphans}, run before every write, deletes exactly the temporary files of the same
 * target that nobody holds: a live concurrent writer's file is locked and left alone.
 */
public final class TempFiles {
    /**
     * Temporary files this JVM is writing. Their locks cannot be tested from within the same JVM
     * without harm (on Linux, closing any channel to a file drops every lock the process holds on it),
     * so these are recognised by name instead.
     */
    private static final java.util.Set<Path> OWN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private TempFiles() {}

    /** A new empty temporary file for {@code target} (absolute), in its folder; {@link #done} when finished. */
    public static Path create(Path target) throws IOException {
        Path p = Files.createTempFile(target.getParent(), prefix(target), ".tmp");
        OWN.add(p);
        return p;
    }

    /** The temporary file {@code p} was renamed or deleted: forget it. */
    public static void done(Path p) {
        OWN.remove(p);
    }

    /** An exclusive lock on the open temporary file; null if the file system does not support locks. */
    public static FileLock lock(FileChannel ch) {
        try {
            return ch.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            return null; // no locking here: orphans of this write are then only removed once unlocked elsewhere
        }
    }

    /** Deletes the unlocked temporary files left by earlier writes of {@code target}; returns how many. */
    public static int removeOrphans(Path target) {
        Path dir = target.getParent();
        if (dir == null) return 0;
        String prefix = prefix(target);
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : ds) {
                if (!OWN.contains(p) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && unheld(p)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            // cleaning is best effort: an orphan that cannot be listed or deleted does not stop a write
        }
        return removed;
    }

    /** True if no process holds a lock on {@code p} (checked by taking one, then letting go). */
    private static boolean unheld(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) return false;
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // held in this JVM by a writer that is not in OWN (should not happen)
        } catch (IOException e) {
            return false;
        }
    }

    private static String prefix(Path target) {
        return "." + target.getFileName() + ".";
    }
}
