package dev.apoptosis.cli;

import dev.apoptosis.bench.BenchResult;
import dev.apoptosis.bench.TrainBench;
import dev.apoptosis.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code apoptosis bench train}: images/s of full training steps on random CIFAR-shaped data. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Images/s of training steps (forward, loss, backward, SGD) on random 3x32x32 data; median of --reps steps.")
public final class BenchTrainCommand implements Runnable {
    @Mixin
    BenchModelOptions o;

    @Override
    public void run() {
        o.validate();
        BenchResult r = TrainBench.run(o.model, o.batch, Parallel.threads(), o.warmup, o.reps);
        System.out.println(o.json ? r.toJson() : r.toText());
    }
}
