package dev.apoptosis.cli;

import dev.apoptosis.bench.BenchResult;
import dev.apoptosis.bench.TrainBench;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apoptosis bench train}: images/s of full training steps on random CIFAR-shaped data. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Images/s of training steps (forward, loss, backward, SGD) on random 3x32x32 data; median of --reps steps.")
public final class BenchTrainCommand implements Runnable {
    @Option(names = "--model", defaultValue = "resnet20", description = "Zoo model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--reps", defaultValue = "5", description = "Timed steps (median reported; default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run() {
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1, got " + reps);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        if (!ModelZoo.has(model)) {
            throw new IllegalArgumentException("--model: unknown model '" + model + "'; known: " + String.join(", ", ModelZoo.entries().keySet()));
        }
        BenchResult r = TrainBench.run(model, batch, Parallel.threads(), warmup, reps);
        System.out.println(json ? r.toJson() : r.toText());
    }
}
