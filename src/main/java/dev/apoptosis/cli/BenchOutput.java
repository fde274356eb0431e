package dev.apoptosis.cli;

import picocli.CommandLine.Option;

/**
 * What the kernel-level benchmarks ({@code bench kernels}, {@code elementwise}, {@code data}) share:
 * the {@code --json} switch, printing each result as soon as it is measured, and the checks of their
 * {@code --reps} and {@code --warmup-seconds} (declared in each command: the defaults differ, and
 * {@code bench data} has no warm-up).
 */
public final class BenchOutput {
    @Option(names = "--json", description = "Print one JSON object per line.")
    boolean json;

    /** Prints one result, as its JSON line or its text line, and flushes so long runs show progress. */
    void print(String jsonLine, String textLine) {
        System.out.println(json ? jsonLine : textLine);
        System.out.flush();
    }

    /** Throws an error naming {@code --reps} unless it is at least 1. */
    static void requireReps(int reps) {
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1, got " + reps);
    }

    /** {@code reps} and {@code --warmup-seconds} as a kernel benchmark's timing, both checked. */
    static dev.apoptosis.bench.Timing.KernelRuns kernelRuns(int reps, double warmUpSeconds) {
        requireReps(reps);
        if (!(warmUpSeconds >= 0) || Double.isInfinite(warmUpSeconds)) {
            throw new IllegalArgumentException("--warmup-seconds must be a finite number >= 0, got " + warmUpSeconds);
        }
        return new dev.apoptosis.bench.Timing.KernelRuns(warmUpSeconds, reps);
    }

    /** Help text of {@code --warmup-seconds}. */
    static final String WARM_UP_HELP = "Untimed run time of each case before it is measured, for the JIT compiler "
            + "(default: ${DEFAULT-VALUE}).";
    static final String WARM_UP_DEFAULT = "" + dev.apoptosis.bench.Timing.KERNEL_WARM_UP_SECONDS;
}
