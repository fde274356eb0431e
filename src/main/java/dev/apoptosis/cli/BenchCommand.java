package dev.apoptosis.cli;

import picocli.CommandLine.Command;

/** {@code apoptosis bench ...}: micro and macro benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: kernels (GEMM, convolutions), autodiff, training, elementwise kernels, data pipeline, per-op profile of a step, importance criteria, inference of pruned models, Spark cluster speed-up and overhead, the convolution path rules on this CPU.",
        subcommands = {BenchKernelsCommand.class, BenchAutodiffCommand.class, BenchTrainCommand.class,
                BenchElementwiseCommand.class, BenchDataCommand.class, BenchProfileCommand.class, BenchImportanceCommand.class,
                BenchInferCommand.class, BenchClusterCommand.class, BenchPathsCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
