package dev.apoptosis.cli;

import dev.apoptosis.models.ModelZoo;
import picocli.CommandLine.Option;

/** Options shared by the model-level benchmarks ({@code bench train}, {@code bench autodiff}), checked in one place. */
public final class BenchModelOptions {
    @Option(names = "--model", defaultValue = "resnet20", description = "Zoo model, or a checkpoint or ONNX file such as a pruned model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--reps", defaultValue = "7", description = "Timed repetitions (median reported; default: ${DEFAULT-VALUE}).")
    int reps;

    // 20 because both sides need it to reach their steady state: with 2 threads on 2 cores the JIT
    // compiler takes CPU from the kernels for the first ~20 ResNet-20 steps (measured: 390-409 images/s
    // after 2 warm-up steps, 438-446 after 10), and PyTorch's steps also get faster over the first ten.
    @Option(names = "--warmup", defaultValue = "20", description = "Untimed repetitions first, until the JIT compiler is done (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object per line.")
    boolean json;

    /** Throws an error naming the option if a value is out of range. */
    void validate() {
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1, got " + reps);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        requireModel(model);
    }

    /** Throws an error naming {@code --model} unless {@code model} is a zoo name or an existing file. */
    static void requireModel(String model) {
        if (!ModelZoo.has(model) && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(model))) {
            throw new IllegalArgumentException("--model: '" + model + "' is neither a zoo model nor a file; zoo models: "
                    + String.join(", ", ModelZoo.entries().keySet()));
        }
    }
}
