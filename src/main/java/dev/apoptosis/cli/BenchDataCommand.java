package dev.apoptosis.cli;

import dev.apoptosis.bench.DataBench;
import dev.apoptosis.data.DataPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apoptosis bench data}: the data pipeline on the real datasets (loading, JPEG decoding, DataLoader). */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Fashion-MNIST load, CIFAR-10 JPEG decode (empty cache vs cached) and DataLoader epoch "
                + "throughput; side by side with bench/data_pytorch.py. Needs the shared datasets.")
public final class BenchDataCommand implements Callable<Integer> {
    @Mixin
    BenchOutput out;

    @Option(names = "--reps", defaultValue = "3", description = "Repetitions per case (median reported; default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--root", description = "Dataset folder (default: the shared datasets, or APOPTOSIS_DATA).")
    Path root;

    @Override
    public Integer call() throws IOException {
        BenchOutput.requireReps(reps);
        DataBench.run(root != null ? root : DataPaths.dataRoot(), reps, r -> out.print(r.toJson(), r.toText()));
        return 0;
    }
}
