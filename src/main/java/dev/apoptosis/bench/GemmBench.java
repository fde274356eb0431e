package dev.apoptosis.bench;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.gemm.Gemm;
import java.util.Random;
import java.util.function.Consumer;

/**
 * sgemm throughput. {@link #run} is the square case of {@code apoptosis bench kernels}:
 * C = A x B for n = 256, 512, 1024, 2 n^3 FLOPs per multiply, named {@code sgemm_n<n>} like
 * {@code bench/pytorch_kernels.py}. {@link #runShapes} adds the rectangular shapes convolution
 * produces through im2col (few rows and many columns, and the transposed variants of the
 * backward pass); {@link #main} runs both without the rest of the CLI.
 */
public final class GemmBench {
    private GemmBench() {}

    public static void run(int threads, Timing.KernelRuns runs, Consumer<BenchResult> sink) {
        Random rng = new Random(1);
        for (int n : new int[] {256, 512, 1024}) {
            float[] a = random(rng, n * n), b = random(rng, n * n), c = new float[n * n];
            double ms = runs.medianMillis(() ->
                    Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n));
            sink.accept(new BenchResult("sgemm_n" + n, threads, ms, 2.0 * n * n * n / (ms * 1e6), Double.NaN));
        }
    }

    /**
     * im2col-shaped cases, named {@code sgemm_<NN|NT|TN>_m<m>_n<n>_k<k>}: forward (NN, Cout x HW*batch
     * over Cin*9), input gradient (TN, Cin*9 x HW*batch over Cout) and weight gradient (NT, Cout x Cin*9
     * over HW*batch) for the ResNet-20 channel counts.
     */
    public static void runShapes(int threads, Timing.KernelRuns runs, Consumer<BenchResult> sink) {
        Random rng = new Random(2);
        int[][] cases = { // transA, transB, m, n, k
            {0, 0, 16, 8192, 144}, {0, 0, 32, 2048, 288}, {0, 0, 64, 1024, 576}, {0, 0, 64, 8192, 576},
            {1, 0, 144, 8192, 16}, {1, 0, 288, 2048, 32}, {1, 0, 576, 1024, 64},
            {0, 1, 16, 144, 8192}, {0, 1, 32, 288, 2048}, {0, 1, 64, 576, 1024},
            {1, 1, 300, 257, 129},
        };
        for (int[] s : cases) {
            boolean ta = s[0] == 1, tb = s[1] == 1;
            int m = s[2], n = s[3], k = s[4];
            float[] a = random(rng, m * k), b = random(rng, k * n), c = new float[m * n];
            int lda = ta ? m : k, ldb = tb ? k : n;
            double flops = 2.0 * m * n * k;
            double ms = runs.medianMillis(() ->
                    Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n));
            String name = "sgemm_" + (ta ? "T" : "N") + (tb ? "T" : "N") + "_m" + m + "_n" + n + "_k" + k;
            sink.accept(new BenchResult(name, threads, ms, flops / (ms * 1e6), Double.NaN));
        }
    }

    /** {@code GemmBench [--threads N] [--reps R] [--json] [--square-only]}: sgemm cases only. */
    public static void main(String[] args) {
        int reps = 9;
        boolean json = false, squareOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> Parallel.setThreads(Integer.parseInt(args[++i]));
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--json" -> json = true;
                case "--square-only" -> squareOnly = true;
                default -> throw new IllegalArgumentException("GemmBench: unknown argument " + args[i]);
            }
        }
        boolean asJson = json;
        Consumer<BenchResult> sink = r -> System.out.println(asJson ? r.toJson() : r.toText());
        Timing.KernelRuns runs = new Timing.KernelRuns(Timing.KERNEL_WARM_UP_SECONDS, reps);
        run(Parallel.threads(), runs, sink);
        if (!squareOnly) runShapes(Parallel.threads(), runs, sink);
    }

    static float[] random(Random rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rng.nextFloat() - 0.5f;
        return x;
    }
}
