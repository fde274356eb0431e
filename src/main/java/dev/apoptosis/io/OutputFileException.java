package dev.apoptosis.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file cannot be written where it was asked to go: the target is a directory, FIFO, device or
 * symbolic link, or its folder cannot be created or written. The message names the target (never
 * only a temporary file) and what is wrong.
 */
public final class OutputFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path target;

    public OutputFileException(Path target, String problem) {
        super("cannot write " + target + ": " + problem);
        this.target = target;
    }

    public OutputFileException(Path target, String problem, Throwable cause) {
        super("cannot write " + target + ": " + problem, cause);
        this.target = target;
    }

    /** The file that was to be written. */
    public Path target() {
        return target;
    }
}
