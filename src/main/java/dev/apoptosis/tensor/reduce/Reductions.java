package dev.apoptosis.tensor.reduce;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;

/**
 * Reductions with float64 accumulation: whole-window sum, dot and sum of squares; per-row max,
 * argmax, sums and dots over {@code [rows, cols]}; and per-channel sums over
 * {@code [outer, channels, inner]} (bias gradients of Linear and convolution, BatchNorm
 * statistics and backward). Per-channel and per-row results are plain arrays indexed from 0.
 *
 * <p><b>Determinism.</b> Long sums are cut into chunks of {@link Kernels#CHUNK} elements whose
 * boundaries depend on the length alone ({@link Parallel#chunks}); each chunk is summed by one
 * thread and the chunk partials are added in chunk order. Per-row and per-channel outputs are each
 * computed by one thread in a fixed order. So results are bit-identical for any thread count. The
 * Vector API and scalar paths round in different orders and agree to float64 rounding.
 */
public final class Reductions {
    private Reductions() {}

    // ---- single-range dispatch, used by other kernels inside their own parallel loops ----

    /** Σ x over one range on the calling thread, on the Vector API path if {@code simd}. */
    public static double sumRange(boolean simd, float[] x, int off, int n) {
        return simd ? ReductionsVector.sum(x, off, n) : ReductionsScalar.sum(x, off, n);
    }

    /** Σ a·b over one range on the calling thread, on the Vector API path if {@code simd}. */
    public static double dotRange(boolean simd, float[] a, int ao, float[] b, int bo, int n) {
        return simd ? ReductionsVector.dot(a, ao, b, bo, n) : ReductionsScalar.dot(a, ao, b, bo, n);
    }

    /** Σ (x - center)² over one range on the calling thread, on the Vector API path if {@code simd}. */
    public static double squaredDeviationsRange(boolean simd, float[] x, int off, int n, double center) {
        return simd ? ReductionsVector.sumSquaredDeviations(x, off, n, center)
                : ReductionsScalar.sumSquaredDeviations(x, off, n, center);
    }

    static float maxRange(boolean simd, float[] x, int off, int n) {
        return simd ? ReductionsVector.max(x, off, n) : ReductionsScalar.max(x, off, n);
    }

    @FunctionalInterface
    private interface ChunkSum {
        double sum(int start, int length);
    }

    /** Σ over [0, n) in fixed chunks, partials combined in chunk order. */
    private static double chunked(int n, ChunkSum f) {
        int chunks = Parallel.chunks(n, Kernels.CHUNK);
        if (chunks == 0) return 0;
        if (chunks == 1) return f.sum(0, n);
        double[] part = new double[chunks];
        Parallel.forRange(chunks, 1, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                int start = c * Kernels.CHUNK;
                part[c] = f.sum(start, Math.min(Kernels.CHUNK, n - start));
            }
        });
        double total = 0;
        for (double p : part) total += p;
        return total;
    }

    /** Σ x. */
    public static double sum(float[] x, int off, int n) {
        Kernels.window("sum", "x", x, off, n);
        boolean simd = Simd.enabled();
        return chunked(n, (s, len) -> sumRange(simd, x, off + s, len));
    }

    /** Σ a·b, products and sums in float64. */
    public static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        Kernels.window("dot", "a", a, aOff, n);
        Kernels.window("dot", "b", b, bOff, n);
        boolean simd = Simd.enabled();
        return chunked(n, (s, len) -> dotRange(simd, a, aOff + s, b, bOff + s, len));
    }

    /** Σ x². */
    public static double sumSquares(float[] x, int off, int n) {
        Kernels.window("sumSquares", "x", x, off, n);
        boolean simd = Simd.enabled();
        return chunked(n, (s, len) -> squaredDeviationsRange(simd, x, off + s, len, 0));
    }

    /** out[r] = max over row r of {@code [rows, cols]} (NaN if the row holds a NaN); cols ≥ 1. */
    public static void rowMax(float[] x, int off, int rows, int cols, float[] out) {
        checkRowsForMax("rowMax", x, off, rows, cols);
        Kernels.vector("rowMax", "out", out, rows);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) out[r] = maxRange(simd, x, off + r * cols, cols);
        });
    }

    /** out[r] = index of the first maximum of row r (the first NaN if the row holds one); cols ≥ 1. */
    public static void rowArgmax(float[] x, int off, int rows, int cols, int[] out) {
        checkRowsForMax("rowArgmax", x, off, rows, cols);
        if (out == null || out.length < rows) {
            throw new IllegalArgumentException("rowArgmax: out must hold " + rows + " indices");
        }
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int base = off + r * cols;
                float m = maxRange(simd, x, base, cols);
                int j = 0;
                if (Float.isNaN(m)) {
                    while (!Float.isNaN(x[base + j])) j++;
                } else {
                    while (x[base + j] != m) j++;
                }
                out[r] = j;
            }
        });
    }

    /** out[r] = Σ over row r of {@code [rows, cols]}. */
    public static void rowSums(float[] x, int off, int rows, int cols, double[] out) {
        checkRows("rowSums", x, off, rows, cols);
        Kernels.vector("rowSums", "out", out, rows);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) out[r] = sumRange(simd, x, off + r * cols, cols);
        });
    }

    /** out[r] = Σ_c a[r, c]·b[r, c] over two {@code [rows, cols]} windows. */
    public static void rowDots(float[] a, int aOff, float[] b, int bOff, int rows, int cols, double[] out) {
        checkRows("rowDots", a, aOff, rows, cols);
        checkRows("rowDots", b, bOff, rows, cols);
        Kernels.vector("rowDots", "out", out, rows);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) out[r] = dotRange(simd, a, aOff + r * cols, b, bOff + r * cols, cols);
        });
    }

    /** out[c] = Σ_{o,i} x[o, c, i] over an {@code [outer, channels, inner]} window. */
    public static void sumPerChannel(float[] x, int off, int outer, int channels, int inner, double[] out) {
        perChannel("sumPerChannel", x, off, null, 0, null, outer, channels, inner, out);
    }

    /**
     * sums[c] = Σ_{o,i} (x[o, c, i] - shift[c]) and squares[c] = Σ_{o,i} (x[o, c, i] - shift[c])² in one
     * pass, differences and squares in float64: a channel's mean and variance are then
     * shift + sums/M and squares/M - (sums/M)². With a shift near the mean (any value of the channel
     * will do) the subtraction loses nothing worth keeping, unlike the unshifted Σx² - (Σx)²/M.
     */
    public static void shiftedSumsPerChannel(float[] x, int off, double[] shift, int outer, int channels, int inner, double[] sums,
                                      double[] squares) {
        Kernels.vector("shiftedSumsPerChannel", "shift", shift, channels);
        Kernels.vector("shiftedSumsPerChannel", "sums", sums, channels);
        perChannel("shiftedSumsPerChannel", x, off, null, 0, shift, outer, channels, inner, squares, sums);
    }

    /** out[c] = Σ_{o,i} a[o, c, i]·b[o, c, i] (products in float64) over two windows of the same layout. */
    public static void sumProductPerChannel(float[] a, int aOff, float[] b, int bOff, int outer, int channels, int inner,
                                            double[] out) {
        perChannel("sumProductPerChannel", a, aOff, b, bOff, null, outer, channels, inner, out);
    }

    /**
     * sums[c] = Σ_{o,i} a[o, c, i] and products[c] = Σ_{o,i} a[o, c, i]·b[o, c, i] in one pass over
     * both windows: the pair every BatchNorm rule needs (Σv and Σv·x̂). Each result equals what
     * {@link #sumPerChannel} and {@link #sumProductPerChannel} give.
     */
    public static void sumAndProductPerChannel(float[] a, int aOff, float[] b, int bOff, int outer, int channels, int inner,
                                               double[] sums, double[] products) {
        Kernels.vector("sumAndProductPerChannel", "sums", sums, channels);
        perChannel("sumAndProductPerChannel", a, aOff, b, bOff, null, outer, channels, inner, products, sums);
    }

    /**
     * Per-channel Σa·b (b given) or Σa into {@code out}; with {@code sums} given as well, Σa·b into
     * {@code out} and Σa into {@code sums}, or with {@code center} given Σ(a - center)² into
     * {@code out} and Σ(a - center) into {@code sums}.
     */
    private static void perChannel(String op, float[] a, int aOff, float[] b, int bOff, double[] center, int outer,
                                   int channels, int inner, double[] out) {
        perChannel(op, a, aOff, b, bOff, center, outer, channels, inner, out, null);
    }

    private static void perChannel(String op, float[] a, int aOff, float[] b, int bOff, double[] center, int outer,
                                   int channels, int inner, double[] out, double[] sums) {
        int n = Kernels.volume(op, outer, channels, inner);
        Kernels.window(op, "x", a, aOff, n);
        if (b != null) Kernels.window(op, "second operand", b, bOff, n);
        Kernels.vector(op, "out", out, channels);
        boolean simd = Simd.enabled();
        if (inner != 1) {
            // Each channel is one output, summed by one thread over its outer segments in order. A
            // thread takes a range of channels and walks its part of each sample before the next
            // sample (memory order), keeping every channel's running sum in a state array: reading
            // channel by channel instead jumps a whole sample ahead after each segment, which the
            // hardware prefetcher does not follow (2.5x slower on [128, 16, 32, 32]). Each kind of
            // sum is its own small lambda: inlined into one big loop body, the four kinds exhausted
            // the JIT's inlining budget and the vector conversions stayed boxed calls.
            int work = outer * inner, stride = channels * inner;
            int width = simd ? ReductionsVector.STATE : ReductionsScalar.STATE;
            SegmentStep step;
            if (center != null) {
                step = simd ? (c, at, st, so) -> ReductionsVector.shiftedSumsStep(a, aOff + at, inner, center[c], st, so)
                        : (c, at, st, so) -> ReductionsScalar.shiftedSumsStep(a, aOff + at, inner, center[c], st, so);
            } else if (sums != null) {
                step = simd ? (c, at, st, so) -> ReductionsVector.sumAndDotStep(a, aOff + at, b, bOff + at, inner, st, so)
                        : (c, at, st, so) -> ReductionsScalar.sumAndDotStep(a, aOff + at, b, bOff + at, inner, st, so);
            } else if (b != null) {
                step = simd ? (c, at, st, so) -> ReductionsVector.dotStep(a, aOff + at, b, bOff + at, inner, st, so)
                        : (c, at, st, so) -> ReductionsScalar.dotStep(a, aOff + at, b, bOff + at, inner, st, so);
            } else {
                step = simd ? (c, at, st, so) -> ReductionsVector.sumStep(a, aOff + at, inner, st, so)
                        : (c, at, st, so) -> ReductionsScalar.sumStep(a, aOff + at, inner, st, so);
            }
            Parallel.forRange(channels, Math.max(1, Kernels.CHUNK / Math.max(1, work)), (lo, hi) -> {
                double[] st = new double[(hi - lo) * width];
                for (int k = 0; k < outer; k++) {
                    for (int c = lo; c < hi; c++) step.run(c, k * stride + c * inner, st, (c - lo) * width);
                }
                for (int c = lo; c < hi; c++) {
                    int so = (c - lo) * width;
                    double first = simd ? ReductionsVector.firstResult(st, so) : st[so];
                    if (sums != null) {
                        sums[c] = first;
                        out[c] = simd ? ReductionsVector.secondResult(st, so) : st[so + 1];
                    } else {
                        out[c] = first;
                    }
                }
            });
            return;
        }
        // [rows, channels]: rows in fixed chunks, each chunk accumulating whole rows, chunks combined in order.
        int rowsPerChunk = Math.max(1, Kernels.CHUNK / Math.max(1, channels));
        int chunks = Parallel.chunks(outer, rowsPerChunk);
        double[][] part = new double[chunks][channels];
        double[][] partSums = sums == null ? null : new double[chunks][channels];
        Parallel.forRange(chunks, 1, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                double[] acc = part[k];
                for (int r = k * rowsPerChunk, end = Math.min(outer, r + rowsPerChunk); r < end; r++) {
                    int at = r * channels;
                    if (center != null) {
                        if (simd) ReductionsVector.addShiftedTo(a, aOff + at, center, partSums[k], acc, channels);
                        else ReductionsScalar.addShiftedTo(a, aOff + at, center, partSums[k], acc, channels);
                        continue;
                    }
                    if (sums != null) {
                        if (simd) ReductionsVector.addTo(a, aOff + at, partSums[k], channels);
                        else ReductionsScalar.addTo(a, aOff + at, partSums[k], channels);
                    }
                    if (b != null) {
                        if (simd) ReductionsVector.addProductsTo(a, aOff + at, b, bOff + at, acc, channels);
                        else ReductionsScalar.addProductsTo(a, aOff + at, b, bOff + at, acc, channels);
                    } else {
                        if (simd) ReductionsVector.addTo(a, aOff + at, acc, channels);
                        else ReductionsScalar.addTo(a, aOff + at, acc, channels);
                    }
                }
            }
        });
        combineInOrder(part, out, channels);
        if (sums != null) combineInOrder(partSums, sums, channels);
    }

    /** Adds channel c's segment at element {@code at} to its running sum(s), kept in {@code st} from {@code so}. */
    @FunctionalInterface
    private interface SegmentStep {
        void run(int c, int at, double[] st, int so);
    }

    private static void combineInOrder(double[][] part, double[] out, int channels) {
        Arrays.fill(out, 0, channels, 0.0);
        for (double[] p : part) {
            for (int c = 0; c < channels; c++) out[c] += p[c];
        }
    }

    private static void checkRows(String op, float[] x, int off, int rows, int cols) {
        Kernels.window(op, "x", x, off, Kernels.volume(op, rows, cols, 1));
    }

    private static void checkRowsForMax(String op, float[] x, int off, int rows, int cols) {
        checkRows(op, x, off, rows, cols);
        if (cols == 0 && rows > 0) throw new IllegalArgumentException(op + ": rows of length 0 have no maximum");
    }

    // ---- Tensor overloads ----

    public static double sum(Tensor x) {
        return sum(x.data(), x.offset(), x.size());
    }

    public static double dot(Tensor a, Tensor b) {
        Shapes.requireSame("dot", a, b);
        return dot(a.data(), a.offset(), b.data(), b.offset(), a.size());
    }

    public static double sumSquares(Tensor x) {
        return sumSquares(x.data(), x.offset(), x.size());
    }

    /** Max over the last dimension: {@code [..., C] -> [...]}. */
    public static Tensor rowMax(Tensor x) {
        Kernels.rankAtLeast("rowMax", "x", x, 1);
        Tensor out = Tensor.zeros(Arrays.copyOf(x.shape(), x.rank() - 1));
        rowMax(x.data(), x.offset(), out.size(), x.dim(-1), out.data());
        return out;
    }

    /** Index of the first maximum over the last dimension, one per row. */
    public static int[] rowArgmax(Tensor x) {
        Kernels.rankAtLeast("rowArgmax", "x", x, 1);
        int[] out = new int[Kernels.leadingSize(x)];
        rowArgmax(x.data(), x.offset(), out.length, x.dim(-1), out);
        return out;
    }

    /** Σ over every leading dimension of {@code [..., C]}: {@code [C]} (Linear's bias gradient). */
    public static Tensor columnSums(Tensor x) {
        Kernels.rankAtLeast("columnSums", "x", x, 1);
        int c = x.dim(-1);
        double[] s = new double[c];
        sumPerChannel(x.data(), x.offset(), Kernels.leadingSize(x), c, 1, s);
        return toTensor(s);
    }

    /** Σ over all dimensions but 1 of {@code [N, C, ...]}: {@code [C]} (convolution bias gradient). */
    public static Tensor sumPerChannel(Tensor x) {
        int[] l = Kernels.channelExtent("sumPerChannel", x);
        double[] s = new double[l[1]];
        sumPerChannel(x.data(), x.offset(), l[0], l[1], l[2], s);
        return toTensor(s);
    }

    /** Σ over all dimensions but 1 of a ⊙ b for {@code [N, C, ...]} tensors of the same shape. */
    public static Tensor sumProductPerChannel(Tensor a, Tensor b) {
        Shapes.requireSame("sumProductPerChannel", a, b);
        int[] l = Kernels.channelExtent("sumProductPerChannel", a);
        double[] s = new double[l[1]];
        sumProductPerChannel(a.data(), a.offset(), b.data(), b.offset(), l[0], l[1], l[2], s);
        return toTensor(s);
    }

    /** A float tensor [n] of float64 sums (rounded once each). */
    public static Tensor toTensor(double[] v) {
        Tensor t = Tensor.zeros(v.length);
        for (int i = 0; i < v.length; i++) t.setAt(i, (float) v[i]);
        return t;
    }
}
