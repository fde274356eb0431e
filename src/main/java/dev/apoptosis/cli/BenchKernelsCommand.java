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
        description = "The FMA peak of 1 and N threads, then GFLOP/s of sgemm (n = 256, 512, 1024) and of ResNet-20 convolutions "
                + "(batch 128), each also as a share of that peak.")
public final class BenchKernelsCommand implements Runnable {
    @Mixin
    BenchOutput out;

    @Option(names = "--reps", defaultValue = "5", description = "Timed repetitions per case (median reported).")
    int reps;

    @Option(names = "--vgg", description = "Also the CIFAR VGGs' wider convolutions (64 channels at 32x32 to 512 at 4x4 and 2x2, batch 64).")
    boolean vgg;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = BenchOutput.WARM_UP_DEFAULT, description = BenchOutput.WARM_UP_HELP)
    double warmUpSeconds;

    @Override
    public void run() {
        dev.apoptosis.bench.Timing.KernelRuns runs = BenchOutput.kernelRuns(reps, warmUpSeconds);
        int threads = Parallel.threads();
        // The FMA limit first, so that every kernel figure also reads as a share of what this machine can do.
        double seconds = Math.max(0.3, warmUpSeconds), runMs = seconds / 3 * 1000;     // ms: the length of one of its 3 runs
        double peak1 = dev.apoptosis.bench.FmaPeak.gflops(1, seconds);
        double peak = threads == 1 ? peak1 : dev.apoptosis.bench.FmaPeak.gflops(threads, seconds);
        out.print(new BenchResult("fma_peak", 1, runMs, peak1, Double.NaN).toJson(),
                String.format(java.util.Locale.ROOT, "%-44s threads=1  %9.2f GFLOP/s  (%s; %s)", "fma_peak", peak1, dev.apoptosis.bench.CpuModel.name(),
                        dev.apoptosis.tensor.CacheSizes.get().describe()));
        if (threads > 1) {
            out.print(new BenchResult("fma_peak", threads, runMs, peak, Double.NaN).toJson(),
                    String.format(java.util.Locale.ROOT, "%-44s threads=%d  %9.2f GFLOP/s  (%.2fx one thread: %s)", "fma_peak", threads, peak,
                            peak / peak1, peak / peak1 < 1.4 ? "the threads share FMA units, e.g. hyperthreads of one core" : "separate cores"));
        }
        java.util.function.Consumer<BenchResult> sink = r -> out.print(r.toJson(), r.toText()
                + (Double.isNaN(r.gflops()) ? "" : String.format(java.util.Locale.ROOT, "  %5.1f%% of peak", 100 * r.gflops() / peak)));
        GemmBench.run(threads, runs, sink);
        ConvBench.run(threads, runs, sink);
        if (vgg) ConvBench.run(ConvBench.VGG, threads, runs, sink);
    }
}
