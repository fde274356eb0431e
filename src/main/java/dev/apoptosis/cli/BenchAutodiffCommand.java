package dev.apoptosis.cli;

import dev.apoptosis.autodiff.Curvature;
import dev.apoptosis.bench.AutodiffBench;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apoptosis bench autodiff}: a curvature (H·v) pass against a training step, side by side. */
@Command(name = "autodiff", mixinStandardHelpOptions = true,
        description = "Time of a training step and of one curvature pass (default EXACT H·v) on random 3x32x32 data, and their ratio.")
public final class BenchAutodiffCommand implements Runnable {
    @Option(names = "--model", defaultValue = "resnet20", description = "Zoo model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--reps", defaultValue = "7", description = "Timed repetitions of each (median; default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--curvature", defaultValue = "EXACT", description = "EXACT, GAUSS_NEWTON or OBA (default: ${DEFAULT-VALUE}).")
    Curvature curvature;

    @Option(names = "--json", description = "Print one JSON object per line.")
    boolean json;

    @Override
    public void run() {
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1, got " + reps);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        if (!ModelZoo.has(model)) {
            throw new IllegalArgumentException("--model: unknown model '" + model + "'; known: " + String.join(", ", ModelZoo.entries().keySet()));
        }
        AutodiffBench.run(model, batch, Parallel.threads(), warmup, reps, curvature,
                r -> System.out.println(json ? r.toJson() : r.toText()), System.out::println);
    }
}
