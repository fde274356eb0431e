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
        return timed(reps, body);
    }

    /**
     * Time a kernel case is run untimed before it is measured. A case often runs a code path no earlier
     * case compiled (Winograd at one channel count, GEMM at another), and at 2 threads on 2 cores the
     * JIT compiler competes with the kernel for a core: with three warm-up runs the 64-channel forward
     * convolution measured 5.6 ms over 9 runs and 3.0 ms over 41.
     */
    public static final double KERNEL_WARM_UP_SECONDS = 1.0;

    /**
     * Runs {@code body} untimed for at least {@code warmUpSeconds} (and at least 3 times), then
     * {@code reps} times timed, and returns the median time of one run in milliseconds.
     */
    public static double medianMillisAfter(double warmUpSeconds, int reps, Runnable body) {
        long end = System.nanoTime() + (long) (warmUpSeconds * 1e9);
        for (int i = 0; i < 3 || System.nanoTime() < end; i++) body.run();
        return timed(reps, body);
    }

    /** How each case of a kernel benchmark is timed: warm-up time, then the median of {@code reps} runs. */
    public record KernelRuns(double warmUpSeconds, int reps) {
        public KernelRuns {
            if (reps < 1) throw new IllegalArgumentException("reps must be >= 1, got " + reps);
            if (!(warmUpSeconds >= 0)) throw new IllegalArgumentException("warm-up seconds must be >= 0, got " + warmUpSeconds);
        }

        /** Median milliseconds of one run of {@code body}. */
        public double medianMillis(Runnable body) {
            return medianMillisAfter(warmUpSeconds, reps, body);
        }
    }

    private static double timed(int reps, Runnable body) {
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        return median(t);
    }

    /** The median of {@code v} (the mean of the middle two for an even count); {@code v} is not changed. */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
