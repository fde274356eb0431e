package dev.apoptosis.cli;

import dev.apoptosis.bench.ElementwiseBench;
import dev.apoptosis.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apoptosis bench elementwise}: the non-GEMM kernels (activations, softmax, norms, reductions). */
@Command(name = "elementwise", mixinStandardHelpOptions = true,
        description = "Median ms of the activation, softmax, BatchNorm, LayerNorm and reduction kernels on a "
                + "[batch, 64, 32, 32] feature map and [128*batch, 512] rows; side by side with bench/elementwise_bench.py.")
public final class BenchElementwiseCommand implements Runnable {
    @Mixin
    BenchOutput out;

    @Option(names = "--reps", defaultValue = "9", description = "Timed repetitions per case (median reported; default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = BenchOutput.WARM_UP_DEFAULT, description = BenchOutput.WARM_UP_HELP)
    double warmUpSeconds;

    @Option(names = "--batch", defaultValue = "" + ElementwiseBench.DEFAULT_BATCH,
            description = "Batch of the inputs (default: ${DEFAULT-VALUE}, the size of the PyTorch comparison).")
    int batch;

    @Override
    public void run() {
        dev.apoptosis.bench.Timing.KernelRuns runs = BenchOutput.kernelRuns(reps, warmUpSeconds);
        ElementwiseBench bench = new ElementwiseBench(batch);
        bench.run(Parallel.threads(), runs, r -> out.print(r.toJson(), bench.toText(r)));
    }
}
