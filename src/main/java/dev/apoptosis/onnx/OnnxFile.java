package dev.apoptosis.onnx;

import dev.apoptosis.checkpoint.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading and writing {@code .onnx} files: one serialized {@link OnnxModel}. Protocol buffers cap a
 * message at 2 GB, so the whole file is read into memory, and every length inside it is checked
 * against what is left (see {@link ProtoReader}). Writing is atomic ({@link AtomicFile}).
 */
public final class OnnxFile {
    private OnnxFile() {}

    /** Reads and decodes a model; any problem is an {@link OnnxFormatException} naming the file. */
    public static OnnxModel read(Path file) throws OnnxFormatException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) throw new OnnxFormatException(file, size + " bytes: larger than a protocol buffer can be (2 GB)");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OnnxFormatException(file, "no such file");
        } catch (OnnxFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new OnnxFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return decode(file, bytes);
    }

    /** Decodes the bytes of a model; {@code file} names them in errors. */
    public static OnnxModel decode(Path file, byte[] bytes) throws OnnxFormatException {
        if (bytes.length == 0) throw new OnnxFormatException(file, "empty file");
        try {
            return OnnxModel.fromBytes(bytes);
        } catch (ProtoException | IllegalArgumentException e) {
            throw new OnnxFormatException(file, "not a valid ONNX model: " + e.getMessage(), e);
        }
    }

    /** The serialized bytes of a model. */
    public static byte[] encode(OnnxModel model) {
        return model.toBytes();
    }

    /** Writes a model atomically. */
    public static void write(Path file, OnnxModel model) throws IOException {
        byte[] bytes = encode(model);
        AtomicFile.write(file, out -> out.write(bytes));
    }
}
