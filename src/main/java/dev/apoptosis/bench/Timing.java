package dev.apoptosis.bench;

import java.util.Arrays;

/** Median-of-repetitions timing with warm-up, for benchmarks on noisy shared machines. */
public final class Timing {
    private Timing() {}

    /**
     * Runs {@code body} {@code warmup} times untimed, then {@code reps} times timed,
     * and returns the median time of one run in milliseconds.
     */
    public static double medianMillis(int warmup, int reps, Runnable body) {
        for (int i = 0; i < warmup; i++) body.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return reps % 2 == 1 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
    }
}
