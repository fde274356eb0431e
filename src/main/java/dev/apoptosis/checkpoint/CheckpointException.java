package dev.apoptosis.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be used: missing, not a checkpoint, of an unsupported version,
 * truncated, corrupted (checksum mismatch) or inconsistent. The message names the file and what is
 * wrong; nothing of such a file is ever returned.
 */
public final class CheckpointException extends IOException {
    private final Path file;

    public CheckpointException(Path file, String problem) {
        super("checkpoint " + file + ": " + problem);
        this.file = file;
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super("checkpoint " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
