package dev.apoptosis.cli;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.Normalize;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.onnx.OnnxFile;
import dev.apoptosis.onnx.OnnxImport;
import dev.apoptosis.train.ClassNames;
import dev.apoptosis.train.InputNormalization;
import dev.apoptosis.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apoptosis import}: an ONNX model as a checkpoint, so that every command that takes a
 * checkpoint (eval, info, train --init) takes it. The model's metadata properties become the
 * checkpoint's metadata (a file this tool exported gets its input normalisation and class names
 * back); {@code --classes}, {@code --mean} and {@code --std} set or replace them.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Read an ONNX model into a checkpoint (supported ops and forms: docs/onnx.md).")
public final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL.onnx", description = "ONNX file.")
    Path file;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Checkpoint to write (atomically).")
    Path out;

    @Option(names = "--classes", paramLabel = "FILE", description = "Class names of the outputs, one per line.")
    Path classes;

    @Option(names = "--mean", paramLabel = "m,m,m", split = ",", description = "Per-channel input mean (pixels in [0, 1]).")
    float[] mean;

    @Option(names = "--std", paramLabel = "s,s,s", split = ",", description = "Per-channel input standard deviation.")
    float[] std;

    @Override
    public Integer call() throws IOException {
        if ((mean == null) != (std == null)) throw new IllegalArgumentException("--mean and --std go together");
        OnnxImport.Result r = OnnxImport.toGraph(OnnxFile.read(file), file);
        Graph g = r.graph();
        Map<String, String> meta = new LinkedHashMap<>(r.metadata());
        int channels = g.inputs().get(0).outputShape()[0];
        if (mean != null) {
            if (mean.length != channels || std.length != channels) {
                throw new IllegalArgumentException("--mean and --std need " + channels + " values each (the model's input is "
                        + Arrays.toString(g.inputs().get(0).outputShape()) + ")");
            }
            InputNormalization.record(new Normalize(mean, std), meta);
        }
        InputNormalization.recorded(meta, file.toString()); // a malformed pair from the file is an error here, not at eval
        if (classes != null) {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(classes, StandardCharsets.UTF_8)) if (!line.isBlank()) names.add(line.strip());
            int[] outShape = g.output().outputShape();
            if (outShape.length != 1 || outShape[0] != names.size()) {
                throw new IllegalArgumentException("--classes " + classes + " names " + names.size() + " classes but the model outputs "
                        + Arrays.toString(outShape));
            }
            ClassNames.record(names, meta, "--classes " + classes);
        }
        meta.put(Checkpoint.Meta.PARAMS, Long.toString(g.numParameters()));
        meta.put(Checkpoint.Meta.MACS, Long.toString(g.macs()));
        meta.put(Checkpoint.Meta.CREATED, Instant.now().toString());
        meta.put(Checkpoint.Meta.TOOL, Trainer.TOOL);
        Checkpoint.of(g, meta, null, null).write(out);
        System.out.printf(Locale.ROOT, "imported %s to %s: %d nodes, %,d parameters, %,d MACs per sample, input %s, output %s%n", file, out,
                g.nodes().size(), g.numParameters(), g.macs(), Arrays.toString(g.inputs().get(0).outputShape()),
                Arrays.toString(g.output().outputShape()));
        return 0;
    }
}
