package dev.apoptosis.runs;

import java.nio.file.Path;

/** A run directory's file is missing, malformed or of an unknown format; the message names the file (and line). */
public final class RunFormatException extends java.io.IOException {
    private final Path file;

    public RunFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public RunFormatException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
