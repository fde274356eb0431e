package dev.apoptosis.demo;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;

/**
 * The measured inference speed-up of a pruned model: batched forward passes (evaluation mode, no
 * activations kept) of the dense and the pruned model on the same batch, alternated pass by pass so
 * that whatever else loads the machine weighs on both alike, after twice as many warm-up passes (the
 * JIT compiler is still busy after the first few dozen: measured on the demo's models, the first
 * round of 30 gave ratios up to 5x, later rounds 1.5-1.7x); medians of the wall time.
 */
public record InferenceTiming(int batch, int reps, double denseMs, double prunedMs) {

    public double speedup() {
        return denseMs / prunedMs;
    }

    public static InferenceTiming measure(Graph dense, Graph pruned, Tensor input, int reps) {
        for (int i = 0; i < 2 * reps; i++) {
            time(dense, input);
            time(pruned, input);
        }
        double[] a = new double[reps], b = new double[reps];
        for (int i = 0; i < reps; i++) {
            a[i] = time(dense, input);
            b[i] = time(pruned, input);
        }
        return new InferenceTiming(input.shape()[0], reps, median(a), median(b));
    }

    private static double time(Graph g, Tensor input) {
        long t0 = System.nanoTime();
        try (Pass p = Pass.forward(g, java.util.Map.of(g.inputs().get(0).name(), input), Mode.EVAL, 0L, false)) {
            p.output();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
