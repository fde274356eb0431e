package dev.apoptosis.cli;

import dev.apoptosis.bench.ConvPathAudit;
import dev.apoptosis.bench.CpuModel;
import dev.apoptosis.tensor.CacheSizes;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apoptosis bench paths}: are the convolution path rules right on this CPU? */
@Command(name = "paths", mixinStandardHelpOptions = true,
        description = {"For every distinct convolution of a model and each pass (forward, input gradient, weight gradient):"
                + " the path the rules choose (Winograd, padded planes, phase planes, im2col + GEMM, ...) timed against every other"
                + " path that supports the shape, alternated in rounds. A gain of 5 %% or more is marked '!': a rule to re-measure"
                + " on this CPU (the rules were measured on AMD Zen 4); '~' marks a fastest path whose sums round differently from"
                + " the rules' path (Winograd, the stride-2 input gradient's phases, any other weight-gradient path), so choosing it"
                + " would change results in the last bits."})
public final class BenchPathsCommand implements Runnable {
    @Mixin
    BenchOutput out;

    @Option(names = "--model", defaultValue = "resnet20", description = "Zoo model, or a checkpoint or ONNX file such as a pruned model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--shapes", split = ",", paramLabel = "CIN:COUT:SIZE[:STRIDE[:KERNEL]]",
            description = "Audit these convolutions instead of a model's (a square input, padding half the kernel; e.g. 64:128:16,32:64:16:2).")
    List<String> shapes;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seconds", defaultValue = "1.5", description = "Timed seconds per pass of a shape, shared by its candidate paths (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds the candidates alternate in (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public void run() {
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        if (!(seconds > 0) || Double.isInfinite(seconds)) throw new IllegalArgumentException("--seconds must be a finite number > 0, got " + seconds);
        int threads = Parallel.threads();
        if (!out.json) {
            System.out.printf(Locale.ROOT, "paths/%s/batch%d  threads=%d  %s; %s%n", shapes != null ? "shapes" : label(model), batch, threads, CpuModel.name(),
                    CacheSizes.get().describe());
            System.out.println(ConvPathAudit.header());
        }
        Consumer<ConvPathAudit.Row> print = r -> out.print(ConvPathAudit.json(r, threads), ConvPathAudit.text(r));
        List<ConvPathAudit.Row> rows;
        if (shapes != null) {
            List<ConvGeometry> gs = new ArrayList<>();
            for (String sh : shapes) gs.add(ConvPathAudit.shape(sh, batch));
            rows = ConvPathAudit.runShapes(gs, seconds, rounds, print);
        } else {
            BenchModelOptions.requireModel(model);
            rows = ConvPathAudit.run(model, batch, seconds, rounds, print);
        }
        double[] t = ConvPathAudit.totals(rows);
        out.print(String.format(Locale.ROOT, "{\"name\":\"paths/%s/total\",\"threads\":%d,\"chosen_ms\":%.3f,\"best_ms\":%.3f,\"gain\":%.4f}",
                        shapes != null ? "shapes" : label(model), threads, t[0], t[1], t[0] / t[1]),
                String.format(Locale.ROOT, "all passes of all layers: the rules' paths %.2f ms, the fastest %.2f ms (%.3fx)", t[0], t[1], t[0] / t[1]));
    }

    private static String label(String model) {
        return ConvPathAudit.label(model);
    }
}
