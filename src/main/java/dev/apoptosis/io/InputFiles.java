package dev.apoptosis.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one check every reader runs before opening a file: it must be a regular file. Opening a FIFO
 * for reading blocks until some other process writes to it (forever, for a stray pipe left where a
 * checkpoint was expected), and a device such as {@code /dev/zero} streams without end; neither is
 * a file of a format this toolkit reads. Symbolic links are followed: reading through a link cannot
 * change anything, unlike writing (see {@link OutputTarget}).
 */
public final class InputFiles {
    private InputFiles() {}

    /** Returns the file's size, or refuses it if it is missing or not a regular file (after links). */
    public static <E extends Exception> long requireRegular(Path file, Refusal<E> refuse) throws E {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw refuse.because(Files.isSymbolicLink(file) ? "not found: symbolic link to a missing file" : "not found (no such file)");
        } catch (IOException e) {
            throw refuse.because("cannot read its attributes: " + e);
        }
        if (!a.isRegularFile()) throw refuse.because("not a regular file (" + kind(file, a) + "); refusing to read it");
        return a.size();
    }

    /** "directory", "FIFO or device", for messages. */
    static String kind(Path file, BasicFileAttributes followed) {
        if (followed.isDirectory()) return "a directory";
        if (followed.isSymbolicLink()) return "a symbolic link";
        try {
            Object type = Files.getAttribute(file, "unix:mode");
            if (type instanceof Integer mode) {
                switch (mode & 0170000) {
                    case 0010000: return "a FIFO";
                    case 0020000: return "a character device";
                    case 0060000: return "a block device";
                    case 0140000: return "a socket";
                    default: break;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no unix view here: the generic word below is still true
        }
        return "a FIFO, device or socket";
    }
}
