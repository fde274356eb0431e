package dev.apoptosis.cli;

import picocli.CommandLine.Option;

/**
 * What the kernel-level benchmarks ({@code bench kernels}, {@code elementwise}, {@code data}) share:
 * the {@code --json} switch, printing each result as soon as it is measured, and the check of their
 * {@code --reps} (whose default differs per benchmark, so it stays in each command).
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
}
