package dev.apoptosis.onnx;

/**
 * A malformed protocol-buffer message, found while decoding bytes (no file known yet):
 * {@link OnnxFile} turns it into an {@link OnnxFormatException} naming the file. The message says
 * which message and field, and the byte offset.
 */
final class ProtoException extends RuntimeException {
    ProtoException(String message) {
        super(message);
    }
}
