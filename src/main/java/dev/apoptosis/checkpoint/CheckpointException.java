package dev.apoptosis.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint file that cannot be used: missing, not a checkpoint, of an unsupported version,
 * truncated, corrupted (checksum mismatch) or inconsistent. The message names the file and what is
 * wrong; nothing of such a file is ever returned.
 */
public final class CheckpointException extends dev.apoptosis.io.FileException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(Path file, String problem) {
        super("checkpoint", file, problem, null);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super("checkpoint", file, problem, cause);
    }
}
