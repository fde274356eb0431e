package dev.apoptosis.bench;

import dev.apoptosis.tensor.Gemm;
import java.util.Random;
import java.util.function.Consumer;

/** Square sgemm C = A x B for n = 256, 512, 1024; 2 n^3 FLOPs per multiply. */
public final class GemmBench {
    private GemmBench() {}

    public static void run(int threads, int reps, Consumer<BenchResult> sink) {
        Random rng = new Random(1);
        for (int n : new int[] {256, 512, 1024}) {
            float[] a = random(rng, n * n), b = random(rng, n * n), c = new float[n * n];
            int warm = n <= 512 ? 10 : 3;
            double ms = Timing.medianMillis(warm, reps, () ->
                    Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n));
            sink.accept(new BenchResult("sgemm_n" + n, threads, ms, 2.0 * n * n * n / (ms * 1e6), Double.NaN));
        }
    }

    static float[] random(Random rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rng.nextFloat() - 0.5f;
        return x;
    }
}
