package dev.apoptosis.cli;

import dev.apoptosis.bench.BenchResult;
import dev.apoptosis.bench.CpuModel;
import dev.apoptosis.bench.InferenceBench;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.onnx.ModelFiles;
import dev.apoptosis.tensor.Parallel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apoptosis bench infer}: inference time of models side by side (a dense model and its pruned versions), here and in ONNX Runtime. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Inference latency and throughput of checkpoints or ONNX models, timed side by side (every round times every "
                + "model in turn; medians), with the speed-up of each over the first.",
                "--onnxruntime also times each model exported to ONNX in ONNX Runtime, with as many intra-op threads as --threads."})
public final class BenchInferCommand implements Runnable {
    @Parameters(paramLabel = "MODEL", arity = "1..*", description = "Checkpoints or ONNX models; the first is the reference (the dense model).")
    List<Path> models;

    @Option(names = "--batch", split = ",", defaultValue = "1,64", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds over all models (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--reps", defaultValue = "10", description = "Passes per model and round (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "20", description = "Warm-up passes per model and engine (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--onnxruntime", description = "Also time ONNX Runtime on each model's ONNX export.")
    boolean onnxRuntime;

    @Option(names = "--json", description = "Print one JSON object per model and batch size (infer/<file name>/batch<b>; "
            + "ONNX Runtime's as infer-ort/...), the lines bench/side_by_side.py --only infer reads.")
    boolean json;

    @Override
    public void run() {
        if (rounds < 1 || reps < 1 || warmup < 0) throw new IllegalArgumentException("--rounds and --reps must be >= 1 and --warmup >= 0");
        for (int b : batches) if (b < 1) throw new IllegalArgumentException("--batch sizes must be >= 1, got " + b);
        var ort = onnxRuntime ? InferenceBench.onnxRuntime(Parallel.threads()) : null;
        List<Graph> graphs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path m : models) {
            try {
                graphs.add(ModelFiles.read(m).toGraph(m));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            names.add(json ? ModelFiles.stem(m) : String.valueOf(m.getFileName()));
        }
        int[] shape = graphs.get(0).inputs().get(0).outputShape();
        for (int i = 1; i < graphs.size(); i++) {
            if (!java.util.Arrays.equals(shape, graphs.get(i).inputs().get(0).outputShape())) {
                throw new IllegalArgumentException(models.get(i) + ": input shape " + java.util.Arrays.toString(graphs.get(i).inputs().get(0).outputShape())
                        + " differs from the first model's " + java.util.Arrays.toString(shape));
            }
        }
        if (!json) {
            System.out.printf(java.util.Locale.ROOT, "%d kernel threads%s; %s%n", Parallel.threads(),
                    onnxRuntime ? " (ONNX Runtime: as many intra-op threads)" : "", CpuModel.name());
        }
        List<InferenceBench.Row> rows = InferenceBench.run(names, graphs, batches, rounds, reps, warmup, ort);
        if (!json) {
            System.out.print(InferenceBench.table(rows));
            return;
        }
        for (InferenceBench.Row r : rows) {
            String tag = r.model() + "/batch" + r.batch();
            System.out.println(new BenchResult("infer/" + tag, Parallel.threads(), r.oursMs(), Double.NaN, r.oursPerSecond()).toJson());
            if (!Double.isNaN(r.ortMs())) {
                System.out.println(new BenchResult("infer-ort/" + tag, Parallel.threads(), r.ortMs(), Double.NaN, r.ortPerSecond()).toJson());
            }
        }
    }
}
