package dev.apoptosis.fuzz;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.onnx.OnnxExport;
import dev.apoptosis.onnx.OnnxFile;
import dev.apoptosis.onnx.OnnxFormatException;
import dev.apoptosis.onnx.OnnxImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ONNX reader and importer as a fuzz target: exported zoo models as seeds — LeNet-5 (Conv,
 * BatchNormalization, MaxPool, Gemm), a small ResNet-20 with BatchNorm folded (Add, GlobalAveragePool,
 * Flatten) and a small ViT (MatMul, Transpose, Reshape, LayerNormalization, Softmax, GELU's Erf form,
 * the class token's Shape/Slice/Concat/Expand chain) — and reading as {@code import} does: decode,
 * then import into a graph. Protocol buffers carry no checksum, so nothing is re-sealed.
 */
public final class OnnxFuzzTarget {
    private OnnxFuzzTarget() {}

    /** The target. */
    public static FuzzTarget target() {
        return new FuzzTarget("onnx", OnnxFormatException.class, OnnxFuzzTarget::seeds,
                file -> OnnxImport.toGraph(OnnxFile.read(file), file), FuzzTarget.Seal.NONE, 64);
    }

    static List<byte[]> seeds(Path scratch) throws IOException {
        Files.createDirectories(scratch);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(export(ModelZoo.build("lenet5", ModelOptions.defaults().withInput(1, 12, 12).withWidth(2).withSeed(1)), false));
        seeds.add(export(ModelZoo.build("resnet20", ModelOptions.defaults().withInput(3, 8, 8).withWidth(4).withSeed(2)), true));
        seeds.add(export(ModelZoo.build("vit", ModelOptions.defaults().withInput(3, 8, 8).withWidth(64).withSeed(3)), false));
        return seeds;
    }

    private static byte[] export(Graph g, boolean foldBn) {
        return OnnxFile.encode(OnnxExport.toModel(g, Map.of("model", g.name()), new OnnxExport.Options(foldBn, Map.of())));
    }
}
