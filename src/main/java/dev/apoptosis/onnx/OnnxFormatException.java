package dev.apoptosis.onnx;

import java.nio.file.Path;

/**
 * An ONNX file that cannot be used: missing, not a protocol-buffer ONNX model (truncated, a field of
 * the wrong wire type, a declared length past the end, a tensor whose dimensions do not match its
 * data), or a model whose graph is inconsistent or uses what the importer does not support. The
 * message names the file and the problem; nothing of such a file is ever returned.
 */
public final class OnnxFormatException extends dev.apoptosis.io.FileException {
    private static final long serialVersionUID = 1L;

    public OnnxFormatException(Path file, String problem) {
        super("ONNX model", file, problem, null);
    }

    public OnnxFormatException(Path file, String problem, Throwable cause) {
        super("ONNX model", file, problem, cause);
    }
}
