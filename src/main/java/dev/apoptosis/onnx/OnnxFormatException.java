package dev.apoptosis.onnx;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An ONNX file that cannot be used: missing, not a protocol-buffer ONNX model (truncated, a field of
 * the wrong wire type, a declared length past the end, a tensor whose dimensions do not match its
 * data), or a model whose graph is inconsistent or uses what the importer does not support. The
 * message names the file and the problem; nothing of such a file is ever returned.
 */
public final class OnnxFormatException extends IOException {
    private final Path file;

    public OnnxFormatException(Path file, String problem) {
        super("ONNX model " + file + ": " + problem);
        this.file = file;
    }

    public OnnxFormatException(Path file, String problem, Throwable cause) {
        super("ONNX model " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file (may be a placeholder name for bytes read from memory). */
    public Path file() {
        return file;
    }
}
