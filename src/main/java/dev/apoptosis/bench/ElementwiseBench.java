package dev.apoptosis.bench;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.elementwise.Elementwise;
import dev.apoptosis.tensor.elementwise.Gelu;
import dev.apoptosis.tensor.elementwise.Relu;
import dev.apoptosis.tensor.elementwise.Silu;
import dev.apoptosis.tensor.elementwise.TanhKernels;
import dev.apoptosis.tensor.norm.BatchNormKernels;
import dev.apoptosis.tensor.norm.LayerNormKernels;
import dev.apoptosis.tensor.reduce.Reductions;
import dev.apoptosis.tensor.reduce.SoftmaxKernels;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Median milliseconds of the non-GEMM kernels on activation-sized inputs, for a side-by-side run
 * with {@code bench/elementwise_bench.py} (same cases, same sizes at the default batch 64):
 * {@code ./apoptosis bench elementwise [--threads N] [--json]}. Add
 * {@code APOPTOSIS_JAVA_OPTS=-Dapoptosis.scalar=true} for the scalar path.
 *
 * <p>Inputs: a feature map {@code [batch, 64, 32, 32]} (4M values at batch 64) and, for softmax
 * and LayerNorm, rows {@code [128·batch, 512]} (the same count).
 */
public final class ElementwiseBench {
    /** Channels and spatial size of the feature map; columns of the row-wise cases. */
    static final int C = 64, HW = 32 * 32, COLS = 512;
    /** The batch of the side-by-side comparison. */
    public static final int DEFAULT_BATCH = 64;

    private final int n, size, rows;

    /** The cases at batch {@code batch}: feature map [batch, 64, 32, 32], rows [128·batch, 512]. */
    public ElementwiseBench(int batch) {
        if (batch < 1) throw new IllegalArgumentException("elementwise bench: batch must be >= 1, got " + batch);
        this.n = batch;
        this.size = batch * C * HW;
        this.rows = 128 * batch;
    }

    /** Values per case (every case touches this many inputs). */
    public int elements() {
        return size;
    }

    public static void main(String[] args) {
        int[] threads = args.length == 0 ? new int[] {1, 2} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("path=" + (Simd.enabled() ? "vector" : "scalar"));
        ElementwiseBench bench = new ElementwiseBench(DEFAULT_BATCH);
        for (int t : threads) {
            Parallel.setThreads(t);
            bench.run(Parallel.threads(), new Timing.KernelRuns(Timing.KERNEL_WARM_UP_SECONDS, 9), r -> System.out.println(bench.toText(r)));
        }
    }

    /** A table row: median milliseconds and nanoseconds per value. */
    public String toText(BenchResult r) {
        return String.format(Locale.ROOT, "%-26s threads=%d %9.3f ms %7.3f ns/elem", r.name(), r.threads(), r.ms(),
                r.ms() * 1e6 / size);
    }

    /** Runs every case (timed as {@code runs} says) and hands each median to {@code sink}. */
    public void run(int threads, Timing.KernelRuns runs, Consumer<BenchResult> sink) {
        Random rng = new Random(1);
        float[] x = GemmBench.random(rng, size), g = GemmBench.random(rng, size), y = new float[size], o = new float[size];
        report(sink, "relu_fwd", threads, runs.medianMillis(() -> Relu.forward(x, 0, y, 0, size)));
        report(sink, "gelu_fwd", threads, runs.medianMillis(() -> Gelu.GELU.forward(x, 0, y, 0, size)));
        report(sink, "gelu_bwd", threads, runs.medianMillis(() -> Gelu.GELU.backward(x, 0, g, 0, y, 0, size)));
        report(sink, "gelu_rbwd", threads, runs.medianMillis(() -> Gelu.GELU.rBackward(x, 0, g, 0, g, 0, x, 0, y, 0, size)));
        report(sink, "silu_fwd", threads, runs.medianMillis(() -> Silu.SILU.forward(x, 0, y, 0, size)));
        report(sink, "tanh_fwd", threads, runs.medianMillis(() -> TanhKernels.TANH.forward(x, 0, y, 0, size)));
        report(sink, "add", threads, runs.medianMillis(() -> Elementwise.add(x, 0, g, 0, y, 0, size)));
        report(sink, "axpy", threads, runs.medianMillis(() -> Elementwise.axpy(0.5f, x, 0, y, 0, size)));
        report(sink, "sum", threads, runs.medianMillis(() -> Reductions.sum(x, 0, size)));
        double[] perC = new double[C];
        report(sink, "sum_per_channel_nchw", threads, runs.medianMillis(() -> Reductions.sumPerChannel(x, 0, n, C, HW, perC)));
        report(sink, "softmax_" + rows + "x" + COLS, threads, runs.medianMillis(() -> SoftmaxKernels.softmax(x, 0, y, 0, rows, COLS)));
        report(sink, "log_softmax_" + rows + "x" + COLS, threads, runs.medianMillis(() -> SoftmaxKernels.logSoftmax(x, 0, y, 0, rows, COLS)));
        float[] m = new float[C], v = new float[C], is = new float[C], gamma = new float[C], beta = new float[C];
        java.util.Arrays.fill(gamma, 1.5f);
        report(sink, "batchnorm_fwd_train", threads, runs.medianMillis(() -> {
            BatchNormKernels.stats(x, 0, n, C, HW, 1e-5f, m, v, is);
            BatchNormKernels.apply(x, 0, n, C, HW, m, is, gamma, beta, o, 0, y, 0);
        }));
        float[] gg = new float[C], gb = new float[C];
        report(sink, "batchnorm_bwd_train", threads, runs.medianMillis(() ->
                BatchNormKernels.backward(g, 0, o, 0, n, C, HW, is, gamma, y, 0, gg, gb)));
        float[] lm = new float[rows], lv = new float[rows], lis = new float[rows], lg = new float[COLS], lb = new float[COLS];
        java.util.Arrays.fill(lg, 1.5f);
        report(sink, "layernorm_fwd_" + rows + "x" + COLS, threads, runs.medianMillis(() -> {
            LayerNormKernels.stats(x, 0, rows, COLS, 1e-5f, lm, lv, lis);
            LayerNormKernels.apply(x, 0, rows, COLS, lm, lis, lg, lb, o, 0, y, 0);
        }));
        float[] lgg = new float[COLS], lgb = new float[COLS];
        report(sink, "layernorm_bwd_" + rows + "x" + COLS, threads, runs.medianMillis(() ->
                LayerNormKernels.backward(g, 0, o, 0, rows, COLS, lis, lg, y, 0, lgg, lgb)));
    }

    private static void report(Consumer<BenchResult> sink, String name, int threads, double ms) {
        sink.accept(new BenchResult(name, threads, ms, Double.NaN, Double.NaN));
    }
}
