package dev.apoptosis.cli;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.data.Normalize;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.train.ClassNames;
import dev.apoptosis.train.EvalResult;
import dev.apoptosis.train.Evaluator;
import dev.apoptosis.train.InputNormalization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apoptosis eval}: loss and top-1/top-5 accuracy of a checkpoint on a dataset's test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on the test split of a dataset (EVAL mode: running BatchNorm statistics).")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", required = true, description = "Checkpoint file, or an ONNX model (.onnx).")
    Path model;

    @Option(names = "--data", paramLabel = "SPEC", description = "Dataset (default: the one recorded in the checkpoint).")
    String data;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        Checkpoint c = dev.apoptosis.onnx.ModelFiles.read(model);
        Graph g = c.toGraph(model);
        String spec = data != null ? data : c.metadata().get(Checkpoint.Meta.DATA);
        if (spec == null) throw new IllegalArgumentException("--data is required: " + model + " does not record its dataset");
        DataSplits splits = TrainCommand.load(spec);
        Normalize trained = InputNormalization.recorded(c.metadata(), model.toString());
        if (trained != null && trained.mean().length != splits.test().sampleShape()[0]) {
            throw new IllegalArgumentException("--model " + model + " was trained on " + trained.mean().length + "-channel inputs but --data "
                    + spec + " gives " + Arrays.toString(splits.test().sampleShape()));
        }
        ClassNames.requireSame(ClassNames.recorded(c.metadata()), splits.test().classNames(), "--model " + model + " on --data " + spec);
        splits = inputsAsTrained(splits, trained);
        EvalResult r;
        try (DataLoader loader = splits.testLoader(batch)) {
            int[] in = g.inputs().get(0).outputShape();
            if (!Arrays.equals(in, loader.sampleShape())) {
                throw new IllegalArgumentException("--model " + model + " takes input " + Arrays.toString(in) + " but --data "
                        + spec + " gives " + Arrays.toString(loader.sampleShape()));
            }
            int[] out = g.output().outputShape();
            if (out.length != 1 || out[0] != splits.test().numClasses()) {
                throw new IllegalArgumentException("--model " + model + " outputs " + Arrays.toString(out) + " but --data "
                        + spec + " has " + splits.test().numClasses() + " classes");
            }
            r = Evaluator.evaluate(g, loader);
        }
        String name = c.metadata().getOrDefault(Checkpoint.Meta.MODEL, c.graphName());
        if (json) {
            Map<String, Object> o = new java.util.LinkedHashMap<>();
            o.put("model", name);
            o.put("data", spec);
            o.put("samples", r.samples());
            o.put("loss", Json.number(r.loss()));
            o.put("top1", Json.number(r.top1()));
            o.put("top5", Json.number(r.top5()));
            System.out.println(Json.write(o));
        } else {
            System.out.printf(Locale.ROOT, "%s on %s: %s%n", Terminal.safe(name), Terminal.safe(spec), r);
        }
        return 0;
    }

    /**
     * The splits with the test inputs normalised as in the model's training when its checkpoint records
     * how ({@code trained}, else null): the data's own default may differ, e.g. a {@code folder:DIR}
     * dataset's statistics are those of its own training images.
     */
    private static DataSplits inputsAsTrained(DataSplits s, Normalize trained) {
        if (trained == null) return s;
        Normalize own = s.normalization();
        if (own == null || !Arrays.equals(own.mean(), trained.mean()) || !Arrays.equals(own.std(), trained.std())) {
            System.err.println(Terminal.safe("eval: normalising inputs as in training (" + InputNormalization.describe(trained) + "), not as "
                    + s.name() + " would (" + (own == null ? s.testTransform() : InputNormalization.describe(own)) + ")"));
        }
        return new DataSplits(s.name(), s.train(), s.test(), s.trainTransform(), trained);
    }
}
