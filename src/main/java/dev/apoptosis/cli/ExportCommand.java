package dev.apoptosis.cli;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.onnx.OnnxExport;
import dev.apoptosis.onnx.OnnxFile;
import dev.apoptosis.onnx.OnnxModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apoptosis export}: a checkpoint as an ONNX model for inference elsewhere (ONNX Runtime,
 * ...), with the checkpoint's metadata (input normalisation, class names, provenance) as the
 * model's metadata properties. See {@code docs/onnx.md}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a checkpoint as an ONNX model (opset 17, batch dimension 'batch', weights as initializers, "
                + "the checkpoint's metadata as metadata properties).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "Checkpoint file (or --model).")
    Path file;

    @Option(names = "--model", paramLabel = "FILE", description = "Checkpoint file (instead of FILE).")
    Path model;

    @Option(names = "--out", paramLabel = "MODEL.onnx", required = true, description = "ONNX file to write (atomically).")
    Path out;

    @Option(names = "--fold-bn", description = "Fold each BatchNorm into the convolution before it (when that convolution feeds "
            + "nothing else) instead of writing BatchNormalization nodes.")
    boolean foldBn;

    @Override
    public Integer call() throws IOException {
        if ((file == null) == (model == null)) throw new IllegalArgumentException("give the checkpoint either as FILE or as --model, once");
        Path in = file != null ? file : model;
        Checkpoint c = dev.apoptosis.onnx.ModelFiles.read(in);
        Graph g = c.toGraph(in);
        OnnxModel m = OnnxExport.toModel(g, c.metadata(), new OnnxExport.Options(foldBn, Map.of()));
        OnnxFile.write(out, m);
        System.out.printf(Locale.ROOT, "exported %s to %s: %d ONNX nodes, %,d parameters, %,d MACs per sample%s%n", in, out,
                m.graph().nodes().size(), g.numParameters(), g.macs(), foldBn ? ", BatchNorm folded" : "");
        return 0;
    }
}
