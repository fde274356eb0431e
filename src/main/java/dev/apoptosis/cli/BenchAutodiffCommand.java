package dev.apoptosis.cli;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.bench.AutodiffBench;
import dev.apoptosis.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apoptosis bench autodiff}: a curvature (H·v) pass against a training step, side by side. */
@Command(name = "autodiff", mixinStandardHelpOptions = true,
        description = "Time of a training step and of one curvature pass (default EXACT H·v) on random 3x32x32 data, and their ratio.")
public final class BenchAutodiffCommand implements Runnable {
    @Mixin
    BenchModelOptions o;

    @Option(names = "--curvature", defaultValue = "EXACT", description = "EXACT, GAUSS_NEWTON or OBA (default: ${DEFAULT-VALUE}).")
    Curvature curvature;

    @Override
    public void run() {
        o.validate();
        AutodiffBench.run(o.model, o.batch, Parallel.threads(), o.warmup, o.reps, curvature,
                r -> System.out.println(o.json ? r.toJson() : r.toText()), System.out::println);
    }
}
