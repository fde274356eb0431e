package dev.apoptosis.io;

import java.nio.file.Path;

/**
 * A file cannot be written where it was asked to go: the target is a directory, FIFO, device or
 * symbolic link, or its folder cannot be created or written. The message names the target (never
 * only a temporary file) and what is wrong.
 */
public final class OutputFileException extends dev.apoptosis.io.FileException {
    private static final long serialVersionUID = 1L;

    public OutputFileException(Path file, String problem) {
        super("cannot write", file, problem, null);
    }

    public OutputFileException(Path file, String problem, Throwable cause) {
        super("cannot write", file, problem, cause);
    }

    /** The file that was to be written (the same as {@link #file()}). */
    public Path target() {
        return file();
    }
}
