package dev.apoptosis.onnx;

import dev.apoptosis.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A model file as the commands take it: a checkpoint, or an ONNX model ({@code .onnx}), which is
 * imported ({@link OnnxImport}) into a checkpoint in memory with its metadata properties as the
 * metadata. So {@code eval}, {@code info} and {@code train --init} accept ONNX files directly.
 */
public final class ModelFiles {
    private ModelFiles() {}

    /** True if {@code file} is read as ONNX (by its name's ending). */
    public static boolean isOnnx(Path file) {
        return String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /** A model file's name without its extension: how benchmark results name the model in it. */
    public static String stem(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The checkpoint in {@code file}, or the imported ONNX model as one; errors name the file. */
    public static Checkpoint read(Path file) throws IOException {
        if (!isOnnx(file)) return Checkpoint.read(file);
        OnnxImport.Result r = OnnxImport.toGraph(OnnxFile.read(file), file);
        return Checkpoint.of(r.graph(), r.metadata(), null, null);
    }
}
