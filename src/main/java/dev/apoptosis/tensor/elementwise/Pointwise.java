package dev.apoptosis.tensor.elementwise;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;

/**
 * The shared driver of the activation kernels: checks every window, reads {@link Simd#enabled()}
 * once per call, and splits the index range across {@link Parallel} threads. Each element's result
 * depends only on its own inputs, so it is the same whatever the split.
 */
final class Pointwise {
    private Pointwise() {}

    /** y = f(x) over a range. */
    @FunctionalInterface
    interface Unary {
        void run(float[] x, int xo, float[] y, int yo, int n);
    }

    /** out = f(x, v) over a range. */
    @FunctionalInterface
    interface Binary {
        void run(float[] x, int xo, float[] v, int vo, float[] out, int oo, int n);
    }

    /** out = f(x, g, ġ, ẋ) over a range: the rBackward shape. */
    @FunctionalInterface
    interface Quaternary {
        void run(float[] x, int xo, float[] g, int go, float[] gd, int gdo, float[] xd, int xdo, float[] out, int oo, int n);
    }

    static void unary(String op, float[] x, int xOff, float[] y, int yOff, int n, int grain, Unary loop) {
        Kernels.window(op, "x", x, xOff, n);
        Kernels.window(op, "y", y, yOff, n);
        Parallel.forRange(n, grain, (lo, hi) -> loop.run(x, xOff + lo, y, yOff + lo, hi - lo));
    }

    static void binary(String op, float[] x, int xOff, float[] v, int vOff, float[] out, int outOff, int n, int grain,
                       Binary loop) {
        Kernels.window(op, "x", x, xOff, n);
        Kernels.window(op, "v", v, vOff, n);
        Kernels.window(op, "out", out, outOff, n);
        Parallel.forRange(n, grain, (lo, hi) -> loop.run(x, xOff + lo, v, vOff + lo, out, outOff + lo, hi - lo));
    }

    static void quaternary(String op, float[] x, int xOff, float[] g, int gOff, float[] gd, int gdOff, float[] xd,
                           int xdOff, float[] out, int outOff, int n, int grain, Quaternary loop) {
        Kernels.window(op, "x", x, xOff, n);
        Kernels.window(op, "g", g, gOff, n);
        Kernels.window(op, "gDot", gd, gdOff, n);
        Kernels.window(op, "xDot", xd, xdOff, n);
        Kernels.window(op, "out", out, outOff, n);
        Parallel.forRange(n, grain, (lo, hi) -> loop.run(x, xOff + lo, g, gOff + lo, gd, gdOff + lo, xd, xdOff + lo,
                out, outOff + lo, hi - lo));
    }

    static Tensor unary(Tensor x, String op, int grain, Unary loop) {
        Tensor y = Tensor.uninitialized(x.shape());
        unary(op, x.data(), x.offset(), y.data(), 0, x.size(), grain, loop);
        return y;
    }

    static Tensor binary(Tensor x, Tensor v, String op, int grain, Binary loop) {
        Shapes.requireSame(op, x, v);
        Tensor out = Tensor.uninitialized(x.shape());
        binary(op, x.data(), x.offset(), v.data(), v.offset(), out.data(), 0, x.size(), grain, loop);
        return out;
    }

    static Tensor quaternary(Tensor x, Tensor g, Tensor gd, Tensor xd, String op, int grain, Quaternary loop) {
        Shapes.requireSame(op, x, g);
        Shapes.requireSame(op, x, gd);
        Shapes.requireSame(op, x, xd);
        Tensor out = Tensor.uninitialized(x.shape());
        quaternary(op, x.data(), x.offset(), g.data(), g.offset(), gd.data(), gd.offset(), xd.data(), xd.offset(),
                out.data(), 0, x.size(), grain, loop);
        return out;
    }
}
