package dev.apoptosis.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be used, named with what is wrong: the shape every reader's and writer's own
 * exception shares ({@code CheckpointException}, {@code OnnxFormatException},
 * {@link OutputFileException}). The message reads "{@code <what> <file>: <problem>}", so the CLI can
 * print it as it is, and {@link #file()} gives the file to programs.
 */
public abstract class FileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    protected FileException(String what, Path file, String problem, Throwable cause) {
        super(what + " " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file (or the file that was to be written). */
    public Path file() {
        return file;
    }
}
