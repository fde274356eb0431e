package dev.apoptosis.cli;

import dev.apoptosis.bench.BenchResult;
import dev.apoptosis.bench.ConvBench;
import dev.apoptosis.bench.GemmBench;
import dev.apoptosis.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apoptosis bench kernels}: GFLOP/s of square sgemm and of CIFAR ResNet-20 convolutions. */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "GFLOP/s of sgemm (n = 256, 512, 1024) and of ResNet-20 convolutions (batch 128).")
public final class BenchKernelsCommand implements Runnable {
    @Mixin
    BenchOutput out;

    @Option(names = "--reps", defaultValue = "5", description = "Timed repetitions per case (median reported).")
    int reps;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = BenchOutput.WARM_UP_DEFAULT, description = BenchOutput.WARM_UP_HELP)
    double warmUpSeconds;

    @Override
    public void run() {
        dev.apoptosis.bench.Timing.KernelRuns runs = BenchOutput.kernelRuns(reps, warmUpSeconds);
        int threads = Parallel.threads();
        java.util.function.Consumer<BenchResult> sink = r -> out.print(r.toJson(), r.toText());
        GemmBench.run(threads, runs, sink);
        ConvBench.run(threads, runs, sink);
    }
}
