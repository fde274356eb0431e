package dev.apoptosis.bench;

import dev.apoptosis.tensor.BatchNormKernels;
import dev.apoptosis.tensor.Elementwise;
import dev.apoptosis.tensor.Gelu;
import dev.apoptosis.tensor.LayerNormKernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Reductions;
import dev.apoptosis.tensor.Relu;
import dev.apoptosis.tensor.Silu;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.SoftmaxKernels;
import dev.apoptosis.tensor.Tanh;
import java.util.Locale;
import java.util.Random;

/**
 * Median milliseconds of the non-GEMM kernels on activation-sized inputs, for a side-by-side run
 * with {@code bench/elementwise_bench.py} (same cases, same sizes). Not wired into the CLI yet:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes dev.apoptosis.bench.ElementwiseBench [threads...]}.
 * Add {@code -Dapoptosis.scalar=true} for the scalar path.
 */
public final class ElementwiseBench {
    private ElementwiseBench() {}

    /** 4M values: a [64, 64, 32, 32] feature map. */
    static final int N = 64, C = 64, HW = 32 * 32, SIZE = N * C * HW;
    /** Rows for softmax and LayerNorm: [8192, 512]. */
    static final int ROWS = 8192, COLS = 512;

    public static void main(String[] args) {
        int[] threads = args.length == 0 ? new int[] {1, 2} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("path=" + (Simd.enabled() ? "vector" : "scalar"));
        for (int t : threads) {
            Parallel.setThreads(t);
            run(t, 9);
        }
    }

    static void run(int threads, int reps) {
        Random rng = new Random(1);
        float[] x = GemmBench.random(rng, SIZE), g = GemmBench.random(rng, SIZE), y = new float[SIZE], o = new float[SIZE];
        report("relu_fwd", threads, SIZE, Timing.medianMillis(3, reps, () -> Relu.forward(x, 0, y, 0, SIZE)));
        report("gelu_fwd", threads, SIZE, Timing.medianMillis(3, reps, () -> Gelu.GELU.forward(x, 0, y, 0, SIZE)));
        report("gelu_bwd", threads, SIZE, Timing.medianMillis(3, reps, () -> Gelu.GELU.backward(x, 0, g, 0, y, 0, SIZE)));
        report("gelu_rbwd", threads, SIZE, Timing.medianMillis(3, reps, () -> Gelu.GELU.rBackward(x, 0, g, 0, g, 0, x, 0, y, 0, SIZE)));
        report("silu_fwd", threads, SIZE, Timing.medianMillis(3, reps, () -> Silu.SILU.forward(x, 0, y, 0, SIZE)));
        report("tanh_fwd", threads, SIZE, Timing.medianMillis(3, reps, () -> Tanh.TANH.forward(x, 0, y, 0, SIZE)));
        report("add", threads, SIZE, Timing.medianMillis(3, reps, () -> Elementwise.add(x, 0, g, 0, y, 0, SIZE)));
        report("axpy", threads, SIZE, Timing.medianMillis(3, reps, () -> Elementwise.axpy(0.5f, x, 0, y, 0, SIZE)));
        report("sum", threads, SIZE, Timing.medianMillis(3, reps, () -> Reductions.sum(x, 0, SIZE)));
        double[] perC = new double[C];
        report("sum_per_channel_nchw", threads, SIZE, Timing.medianMillis(3, reps, () -> Reductions.sumPerChannel(x, 0, N, C, HW, perC)));
        report("softmax_8192x512", threads, SIZE, Timing.medianMillis(3, reps, () -> SoftmaxKernels.softmax(x, 0, y, 0, ROWS, COLS)));
        report("log_softmax_8192x512", threads, SIZE, Timing.medianMillis(3, reps, () -> SoftmaxKernels.logSoftmax(x, 0, y, 0, ROWS, COLS)));
        float[] m = new float[C], v = new float[C], is = new float[C], gamma = new float[C], beta = new float[C];
        java.util.Arrays.fill(gamma, 1.5f);
        report("batchnorm_fwd_train", threads, SIZE, Timing.medianMillis(3, reps, () -> {
            BatchNormKernels.stats(x, 0, N, C, HW, 1e-5f, m, v, is);
            BatchNormKernels.apply(x, 0, N, C, HW, m, is, gamma, beta, o, 0, y, 0);
        }));
        float[] gg = new float[C], gb = new float[C];
        report("batchnorm_bwd_train", threads, SIZE, Timing.medianMillis(3, reps, () ->
                BatchNormKernels.backward(g, 0, o, 0, N, C, HW, is, gamma, y, 0, gg, gb)));
        float[] lm = new float[ROWS], lv = new float[ROWS], lis = new float[ROWS], lg = new float[COLS], lb = new float[COLS];
        java.util.Arrays.fill(lg, 1.5f);
        report("layernorm_fwd_8192x512", threads, SIZE, Timing.medianMillis(3, reps, () -> {
            LayerNormKernels.stats(x, 0, ROWS, COLS, 1e-5f, lm, lv, lis);
            LayerNormKernels.apply(x, 0, ROWS, COLS, lm, lis, lg, lb, o, 0, y, 0);
        }));
        float[] lgg = new float[COLS], lgb = new float[COLS];
        report("layernorm_bwd_8192x512", threads, SIZE, Timing.medianMillis(3, reps, () ->
                LayerNormKernels.backward(g, 0, o, 0, ROWS, COLS, lis, lg, y, 0, lgg, lgb)));
    }

    private static void report(String name, int threads, int elements, double ms) {
        System.out.println(String.format(Locale.ROOT, "%-26s threads=%d %9.3f ms %7.3f ns/elem", name, threads, ms,
                ms * 1e6 / elements));
    }
}
