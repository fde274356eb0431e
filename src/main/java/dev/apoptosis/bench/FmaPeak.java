package dev.apoptosis.bench;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float32 FMA limit as the JVM can reach it: independent chains of vector
 * fused multiply-adds ({@code c = c * a + b}) on registers, no memory traffic. Every kernel's GFLOP/s reads as a share of
 * this figure. Twelve chains cover the FMA latency times the FMA ports of current x86 cores (4
 * cycles x 2 ports, with margin), so the loop is bound by throughput, not by a chain's latency.
 *
 * <p>With n threads the loop runs on n threads at once and the figure is their sum: on two vCPUs
 * that are hyperthreads of one core it stays near the one-thread figure, since the threads share
 * the core's FMA units; on two cores it doubles.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FmaPeak() {}

    /** GFLOP/s of {@code threads} threads running the FMA loop together for about {@code seconds}, the median of 3 runs. */
    public static double gflops(int threads, double seconds) {
        double[] runs = new double[3];
        for (int r = 0; r < runs.length; r++) runs[r] = once(threads, seconds / runs.length);
        return Timing.median(runs);
    }

    private static double once(int threads, double seconds) {
        long iterations = calibrate(seconds);
        List<Thread> ts = new ArrayList<>();
        float[] sink = new float[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> sink[id] = loop(iterations), "fma-peak-" + t);
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        float keep = 0;
        for (float v : sink) keep += v;
        if (keep == 42.4242f) System.out.print("");    // keeps the loop's result alive
        return threads * flopsPerIteration() * (double) iterations / secs / 1e9;
    }

    /** 12 chains x lanes x 2 FLOPs (multiply and add) per iteration. */
    static double flopsPerIteration() {
        return 12.0 * S.length() * 2;
    }

    /** Iterations that take about {@code seconds} on one thread, after a warm-up that compiles the loop. */
    private static long calibrate(double seconds) {
        // Short calls until their time stops falling: the JIT compiles the method itself (not an
        // on-stack replacement of one long call), and until it has, Vector API operations run boxed,
        // hundreds of times slower; on a loaded machine the compiler threads may take seconds.
        long deadline = System.nanoTime() + 10_000_000_000L;
        double best = Double.POSITIVE_INFINITY;
        int steady = 0;
        while (steady < 5 && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 16; i++) loop(1 << 10);
            double t = System.nanoTime() - t0;
            steady = t < 0.9 * best ? 0 : steady + 1;
            best = Math.min(best, t);
        }
        long n = 1 << 16;
        while (true) {
            long t0 = System.nanoTime();
            loop(n);
            double s = (System.nanoTime() - t0) / 1e9;
            if (s > 0.05) return Math.max(1, (long) (n * seconds / s));
            n *= 2;
        }
    }

    static float loop(long iterations) {
        FloatVector a = FloatVector.broadcast(S, 0.999f), b = FloatVector.broadcast(S, 1e-4f);
        FloatVector c0 = FloatVector.broadcast(S, 0f), c1 = FloatVector.broadcast(S, 1f), c2 = FloatVector.broadcast(S, 2f);
        FloatVector c3 = FloatVector.broadcast(S, 3f), c4 = FloatVector.broadcast(S, 4f), c5 = FloatVector.broadcast(S, 5f);
        FloatVector c6 = FloatVector.broadcast(S, 6f), c7 = FloatVector.broadcast(S, 7f), c8 = FloatVector.broadcast(S, 8f);
        FloatVector c9 = FloatVector.broadcast(S, 9f), c10 = FloatVector.broadcast(S, 10f), c11 = FloatVector.broadcast(S, 11f);
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(
                jdk.incubator.vector.VectorOperators.ADD);
    }
}
