package dev.apoptosis.cli;

import dev.apoptosis.models.ModelZoo;
import picocli.CommandLine.Option;

/** Options shared by the model-level benchmarks ({@code bench train}, {@code bench autodiff}), checked in one place. */
public final class BenchModelOptions {
    @Option(names = "--model", defaultValue = "resnet20", description = "Zoo model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--reps", defaultValue = "7", description = "Timed repetitions (median reported; default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object per line.")
    boolean json;

    /** Throws an error naming the option if a value is out of range. */
    void validate() {
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1, got " + reps);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        if (!ModelZoo.has(model)) {
            throw new IllegalArgumentException("--model: unknown model '" + model + "'; known: " + String.join(", ", ModelZoo.entries().keySet()));
        }
    }
}
