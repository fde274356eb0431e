package dev.apoptosis.tensor.elementwise;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;

/**
 * Elementwise arithmetic on float windows and tensors: add, sub, mul, scale, axpy, addInPlace,
 * mulAdd, and the broadcasts ops need, each named for what it broadcasts
 * ({@code addPerChannel}, {@code addRowVector}, ...). Nothing broadcasts silently: same-shape ops
 * require identical shapes and throw naming the op and both shapes otherwise.
 *
 * <p>Array-level entry points take {@code (array, offset)} windows of {@code n} values; an output
 * may be the same window as an input (in place) but must not partially overlap one. Tensor
 * overloads check shapes and allocate their result. Work is split across {@link Parallel} threads
 * by index range; each element's value does not depend on the split, and the Vector API and
 * scalar paths give bit-identical results.
 *
 * <p>Per-channel layout: a tensor {@code [N, C, ...]} seen as {@code [outer=N, channels=C,
 * inner=product of the rest]} (NCHW convolution maps, and {@code [N, C]} with inner = 1).
 * Row-vector layout: a tensor {@code [..., C]} seen as {@code [rows, C]} (Linear's bias over all
 * leading dimensions).
 */
public final class Elementwise {
    private Elementwise() {}

    @FunctionalInterface
    private interface BinaryLoop {
        void run(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);
    }

    /** out = a + b. */
    public static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary("add", a, aOff, b, bOff, out, outOff, n, Simd.enabled() ? ElementwiseVector::add : Elementwise::addLoop);
    }

    /** out = a - b. */
    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary("sub", a, aOff, b, bOff, out, outOff, n, Simd.enabled() ? ElementwiseVector::sub : Elementwise::subLoop);
    }

    /** out = a * b (elementwise). */
    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        binary("mul", a, aOff, b, bOff, out, outOff, n, Simd.enabled() ? ElementwiseVector::mul : Elementwise::mulLoop);
    }

    /** y += a * b (elementwise). */
    public static void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        binary("mulAdd", a, aOff, b, bOff, y, yOff, n,
                Simd.enabled() ? ElementwiseVector::mulAdd : Elementwise::mulAddLoop);
    }

    /** out = alpha * x. */
    public static void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
        Kernels.window("scale", "x", x, xOff, n);
        Kernels.window("scale", "out", out, outOff, n);
        boolean simd = Simd.enabled();
        Parallel.forRange(n, Kernels.GRAIN_CHEAP, (lo, hi) -> {
            if (simd) ElementwiseVector.scale(alpha, x, xOff + lo, out, outOff + lo, hi - lo);
            else scaleLoop(alpha, x, xOff + lo, out, outOff + lo, hi - lo);
        });
    }

    /** y += alpha * x. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        Kernels.window("axpy", "x", x, xOff, n);
        Kernels.window("axpy", "y", y, yOff, n);
        boolean simd = Simd.enabled();
        Parallel.forRange(n, Kernels.GRAIN_CHEAP, (lo, hi) -> {
            if (simd) ElementwiseVector.axpy(alpha, x, xOff + lo, y, yOff + lo, hi - lo);
            else axpyLoop(alpha, x, xOff + lo, y, yOff + lo, hi - lo);
        });
    }

    /** y += x. */
    public static void addInPlace(float[] x, int xOff, float[] y, int yOff, int n) {
        binary("addInPlace", x, xOff, y, yOff, y, yOff, n, Simd.enabled() ? ElementwiseVector::add : Elementwise::addLoop);
    }

    /**
     * out[o, c, i] = x[o, c, i] + bias[c] over an {@code [outer, channels, inner]} window;
     * {@code bias} is indexed from 0.
     */
    public static void addPerChannel(float[] x, int xOff, float[] bias, float[] out, int outOff,
                                     int outer, int channels, int inner) {
        perChannel("addPerChannel", x, xOff, bias, out, outOff, outer, channels, inner, true);
    }

    /** out[o, c, i] = x[o, c, i] * scale[c] over an {@code [outer, channels, inner]} window. */
    public static void mulPerChannel(float[] x, int xOff, float[] scale, float[] out, int outOff,
                                     int outer, int channels, int inner) {
        perChannel("mulPerChannel", x, xOff, scale, out, outOff, outer, channels, inner, false);
    }

    private static void binary(String op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n,
                               BinaryLoop loop) {
        Kernels.window(op, "first operand", a, aOff, n);
        Kernels.window(op, "second operand", b, bOff, n);
        Kernels.window(op, "output", out, outOff, n);
        Parallel.forRange(n, Kernels.GRAIN_CHEAP, (lo, hi) -> loop.run(a, aOff + lo, b, bOff + lo, out, outOff + lo, hi - lo));
    }

    private static void perChannel(String op, float[] x, int xOff, float[] v, float[] out, int outOff,
                                   int outer, int channels, int inner, boolean add) {
        int n = Kernels.volume(op, outer, channels, inner);
        Kernels.window(op, "x", x, xOff, n);
        Kernels.window(op, "out", out, outOff, n);
        Kernels.vector(op, add ? "bias" : "scale", v, channels);
        boolean simd = Simd.enabled();
        if (inner == 1) {
            // [rows, channels]: each row meets the whole vector elementwise.
            Parallel.forRange(outer, Kernels.rowGrain(channels, Kernels.GRAIN_CHEAP), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int xo = xOff + r * channels, oo = outOff + r * channels;
                    if (simd) {
                        if (add) ElementwiseVector.add(x, xo, v, 0, out, oo, channels);
                        else ElementwiseVector.mul(x, xo, v, 0, out, oo, channels);
                    } else {
                        if (add) addLoop(x, xo, v, 0, out, oo, channels);
                        else mulLoop(x, xo, v, 0, out, oo, channels);
                    }
                }
            });
        } else {
            // Segments of `inner` contiguous values share one channel's scalar.
            Parallel.forRange(outer * channels, Kernels.rowGrain(inner, Kernels.GRAIN_CHEAP), (lo, hi) -> {
                for (int s = lo; s < hi; s++) {
                    float c = v[s % channels];
                    int xo = xOff + s * inner, oo = outOff + s * inner;
                    if (simd) {
                        if (add) ElementwiseVector.addScalar(x, xo, c, out, oo, inner);
                        else ElementwiseVector.scale(c, x, xo, out, oo, inner);
                    } else {
                        if (add) addScalarLoop(x, xo, c, out, oo, inner);
                        else scaleLoop(c, x, xo, out, oo, inner);
                    }
                }
            });
        }
    }

    // ---- Tensor overloads ----

    public static Tensor add(Tensor a, Tensor b) {
        Shapes.requireSame("add", a, b);
        Tensor out = Tensor.uninitialized(a.shape());
        add(a.data(), a.offset(), b.data(), b.offset(), out.data(), 0, a.size());
        return out;
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Shapes.requireSame("sub", a, b);
        Tensor out = Tensor.uninitialized(a.shape());
        sub(a.data(), a.offset(), b.data(), b.offset(), out.data(), 0, a.size());
        return out;
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Shapes.requireSame("mul", a, b);
        Tensor out = Tensor.uninitialized(a.shape());
        mul(a.data(), a.offset(), b.data(), b.offset(), out.data(), 0, a.size());
        return out;
    }

    public static Tensor scale(float alpha, Tensor x) {
        Tensor out = Tensor.uninitialized(x.shape());
        scale(alpha, x.data(), x.offset(), out.data(), 0, x.size());
        return out;
    }

    /** y += alpha * x, in place in {@code y}; returns {@code y}. */
    public static Tensor axpy(float alpha, Tensor x, Tensor y) {
        Shapes.requireSame("axpy", x, y);
        axpy(alpha, x.data(), x.offset(), y.data(), y.offset(), x.size());
        return y;
    }

    /** y += x, in place in {@code y}; returns {@code y}. */
    public static Tensor addInPlace(Tensor x, Tensor y) {
        Shapes.requireSame("addInPlace", x, y);
        addInPlace(x.data(), x.offset(), y.data(), y.offset(), x.size());
        return y;
    }

    /** y += a * b, in place in {@code y}; returns {@code y}. */
    public static Tensor mulAdd(Tensor a, Tensor b, Tensor y) {
        Shapes.requireSame("mulAdd", a, b);
        Shapes.requireSame("mulAdd", a, y);
        mulAdd(a.data(), a.offset(), b.data(), b.offset(), y.data(), y.offset(), a.size());
        return y;
    }

    /** x[N, C, ...] + bias[C] along dimension 1. */
    public static Tensor addPerChannel(Tensor x, Tensor bias) {
        int[] l = channelLayout("addPerChannel", x, bias);
        Tensor out = Tensor.uninitialized(x.shape());
        addPerChannel(x.data(), x.offset(), Kernels.dense(bias), out.data(), 0, l[0], l[1], l[2]);
        return out;
    }

    /** x[N, C, ...] * scale[C] along dimension 1. */
    public static Tensor mulPerChannel(Tensor x, Tensor scale) {
        int[] l = channelLayout("mulPerChannel", x, scale);
        Tensor out = Tensor.uninitialized(x.shape());
        mulPerChannel(x.data(), x.offset(), Kernels.dense(scale), out.data(), 0, l[0], l[1], l[2]);
        return out;
    }

    /** x[..., C] + bias[C] along the last dimension (Linear's bias). */
    public static Tensor addRowVector(Tensor x, Tensor bias) {
        int c = rowLayout("addRowVector", x, bias);
        Tensor out = Tensor.uninitialized(x.shape());
        addPerChannel(x.data(), x.offset(), Kernels.dense(bias), out.data(), 0, Kernels.leadingSize(x), c, 1);
        return out;
    }

    /** x[..., C] * scale[C] along the last dimension. */
    public static Tensor mulRowVector(Tensor x, Tensor scale) {
        int c = rowLayout("mulRowVector", x, scale);
        Tensor out = Tensor.uninitialized(x.shape());
        mulPerChannel(x.data(), x.offset(), Kernels.dense(scale), out.data(), 0, Kernels.leadingSize(x), c, 1);
        return out;
    }

    /** {outer, channels, inner} of x[N, C, ...], after checking v is [C]. */
    static int[] channelLayout(String op, Tensor x, Tensor v) {
        if (x.rank() < 2 || v.rank() != 1 || v.dim(0) != x.dim(1)) {
            throw new IllegalArgumentException(op + ": x of shape " + Shapes.str(x.shape()) + " and per-channel vector of shape "
                    + Shapes.str(v.shape()) + " do not match (need x of rank >= 2 and a vector of length x.dim(1))");
        }
        return Kernels.channelExtent(op, x);
    }

    /** C of x[..., C], after checking v is [C]. */
    static int rowLayout(String op, Tensor x, Tensor v) {
        if (x.rank() < 1 || v.rank() != 1 || v.dim(0) != x.dim(-1)) {
            throw new IllegalArgumentException(op + ": x of shape " + Shapes.str(x.shape()) + " and row vector of shape "
                    + Shapes.str(v.shape()) + " do not match (need a vector of length x.dim(-1))");
        }
        return x.dim(-1);
    }

    // ---- scalar twins ----

    static void addLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
    }

    static void subLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] - b[bo + i];
    }

    /** out = a * b, the scalar twin of {@link ElementwiseVector#mul}. */
    public static void mulLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] * b[bo + i];
    }

    static void mulAddLoop(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += a[ao + i] * b[bo + i];
    }

    /** out = alpha * x, the scalar twin of {@link ElementwiseVector#scale}. */
    public static void scaleLoop(float alpha, float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = alpha * x[xo + i];
    }

    /** out = x + s, the scalar twin of {@link ElementwiseVector#addScalar}. */
    public static void addScalarLoop(float[] x, int xo, float s, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] + s;
    }

    static void axpyLoop(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }
}
