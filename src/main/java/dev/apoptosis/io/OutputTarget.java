package dev.apoptosis.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where a file may be written: the one place that decides it, used by every atomic write and by
 * commands before their first batch, so that a path that cannot be written fails in a second, not
 * after an epoch.
 *
 * <p>A write replaces its target by renaming a temporary file over it. That is only right when the
 * target is absent or a regular file; so:
 * <ul>
 * <li>a directory, FIFO, socket or device node is refused (a rename would replace a device node
 *     such as {@code /dev/null} with a regular file, as root);</li>
 * <li>a <b>symbolic link is refused</b>, whatever it points to: replacing the link would leave its
 *     target stale, and writing through it would let a link decide where data lands. Give the path of
 *     the file itself ({@code readlink -f}); reading through links is allowed;</li>
 * <li>the folder is created if missing, and must accept a new file: this is probed by creating and
 *     deleting an empty temporary file ({@link TempFiles} naming, so a probe left by a kill is
 *     cleaned like any orphan).</li>
 * </ul>
 */
public final class OutputTarget {
    private OutputTarget() {}

    /** Checks {@code target} as described above and returns its absolute path. */
    public static Path check(Path target) throws OutputFileException {
        Path abs = requireReplaceable(target);
        Path dir = abs.getParent();
        try {
            if (dir != null) Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputFileException(target, "cannot create its folder " + dir + ": " + describe(e), e);
        }
        try {
            Path probe = TempFiles.create(abs);
            Files.deleteIfExists(probe); // another writer of the same target may have taken it for an orphan
            TempFiles.done(probe);
        } catch (IOException e) {
            throw new OutputFileException(target, "its folder " + dir + " does not accept new files: " + describe(e), e);
        }
        return abs;
    }

    /** Refuses a target that exists and is not a regular file (links not followed); returns its absolute path. */
    public static Path requireReplaceable(Path target) throws OutputFileException {
        Path abs = target.toAbsolutePath();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return abs;
        } catch (IOException e) {
            throw new OutputFileException(target, "cannot inspect it: " + describe(e), e);
        }
        if (a.isSymbolicLink()) {
            String to;
            try {
                to = String.valueOf(Files.readSymbolicLink(abs));
            } catch (IOException e) {
                to = "?";
            }
            throw new OutputFileException(target, "it is a symbolic link (to " + to + "); files are never written through "
                    + "links: give the path of the file itself");
        }
        if (!a.isRegularFile()) {
            throw new OutputFileException(target, "it is " + (a.isDirectory() ? "a directory" : InputFiles.kind(abs, a))
                    + ", not a regular file; only a regular file is replaced");
        }
        return abs;
    }

    /** The reason without the paths: a probe's temporary name would only mislead. */
    private static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getClass().getSimpleName();
    }
}
