package dev.apoptosis.tensor.pool;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.PoolGeometry;
import java.util.Arrays;

/**
 * Max, average and global average pooling over NCHW float32 tensors, with their gradients and the
 * tangent (forward-mode) rule of max pooling.
 *
 * <p><b>Max pooling</b> records, per output element, where its maximum came from: {@code argmax[o]}
 * is the flat position {@code ih * inW + iw} inside the input plane {@code (n, c)} of that output
 * element (the same convention as PyTorch's {@code return_indices}); the plane itself is implied by
 * the output index {@code o}. Padding counts as -infinity, so it never wins; ties keep the first
 * position in row-major window order, and a NaN wins over numbers (the last NaN seen), as in PyTorch.
 * A window that only covers padding (possible with dilation) yields -infinity and arg-max -1, which
 * the backward and tangent passes skip. Max pooling is piecewise linear: its gradient scatters
 * {@code gy} onto the arg-max positions, and its tangent gathers {@code ẋ} from them
 * ({@link #gatherAtArgmax}).
 *
 * <p><b>Average pooling</b> divides each window sum by the full window size
 * ({@code countIncludePad = true}, PyTorch's default) or by the number of window positions inside
 * the image ({@code false}). It is linear: its tangent is {@link #avgForward} applied to {@code ẋ}.
 *
 * <p><b>Global average pooling</b> maps {@code [N, C, H, W]} to {@code [N, C]}, averaging each plane
 * in double precision.
 *
 * <p>All passes work plane by plane, in parallel over the {@code N x C} planes, so results do not
 * depend on the thread count. Shape errors throw {@link IllegalArgumentException} naming the op
 * ({@code max_pool2d}, {@code avg_pool2d}, {@code global_avg_pool2d}) and the shapes.
 */
public final class Pool2dKernels {
    private Pool2dKernels() {}

    // ---------------------------------------------------------------- max pooling

    /**
     * Max pooling of x {@code [N,C,H,W]}; when {@code argmax} is not null (length
     * {@link PoolGeometry#outputSize()}) it receives each output's in-plane arg-max position.
     */
    public static Tensor maxForward(PoolGeometry g, Tensor x, int[] argmax) {
        require("max_pool2d", g, "input", x, g.inputShape());
        if (argmax != null && argmax.length != g.outputSize()) {
            throw new IllegalArgumentException("max_pool2d: argmax has length " + argmax.length + ", expected "
                    + g.outputSize() + " for output " + Arrays.toString(g.outputShape()));
        }
        Tensor y = Tensor.zeros(g.outputShape());
        final int h = g.inH(), w = g.inW(), oh = g.outH(), ow = g.outW();
        final float[] xd = x.data(), yd = y.data();
        final int xo = x.offset();
        Parallel.forRange(g.n() * g.channels(), 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xp = xo + plane * h * w, op = plane * oh * ow;
                for (int r = 0; r < oh; r++) {
                    int h0 = r * g.strideH() - g.padH();
                    for (int q = 0; q < ow; q++) {
                        int w0 = q * g.strideW() - g.padW();
                        float best = Float.NEGATIVE_INFINITY;
                        int where = -1;
                        for (int i = 0; i < g.kernelH(); i++) {
                            int ih = h0 + i * g.dilationH();
                            if (ih < 0 || ih >= h) continue;
                            for (int j = 0; j < g.kernelW(); j++) {
                                int iw = w0 + j * g.dilationW();
                                if (iw < 0 || iw >= w) continue;
                                float v = xd[xp + ih * w + iw];
                                // The first in-image position is taken even at -inf, so arg-max is valid
                                // whenever the window touches the image.
                                if (where < 0 || v > best || Float.isNaN(v)) {
                                    best = v;
                                    where = ih * w + iw;
                                }
                            }
                        }
                        yd[op + r * ow + q] = best;
                        if (argmax != null) argmax[op + r * ow + q] = where;
                    }
                }
            }
        });
        return y;
    }

    /** Gradient of max pooling: {@code gy} scattered (added) onto the arg-max positions of a zero {@code gx}. */
    public static Tensor maxBackward(PoolGeometry g, Tensor gy, int[] argmax) {
        Tensor gx = Tensor.zeros(g.inputShape());
        maxBackwardInto(g, gy, argmax, gx, true);
        return gx;
    }

    /** Max-pooling gradient written to (or, when {@code accumulate}, added to) {@code gx}. */
    public static void maxBackwardInto(PoolGeometry g, Tensor gy, int[] argmax, Tensor gx, boolean accumulate) {
        require("max_pool2d", g, "output gradient", gy, g.outputShape());
        require("max_pool2d", g, "input gradient", gx, g.inputShape());
        requireArgmax(g, argmax);
        final int hw = g.inH() * g.inW(), p = g.outH() * g.outW();
        final float[] gyd = gy.data(), gxd = gx.data();
        final int gyo = gy.offset(), gxo = gx.offset();
        Parallel.forRange(g.n() * g.channels(), 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xp = gxo + plane * hw, op = plane * p;
                if (!accumulate) Arrays.fill(gxd, xp, xp + hw, 0f);
                for (int o = 0; o < p; o++) {
                    int a = argmax[op + o];
                    if (a >= 0) gxd[xp + a] += gyd[gyo + op + o];
                }
            }
        });
    }

    /** Tangent of max pooling: {@code ẏ[o] = ẋ[argmax[o]]} in the same plane (0 where arg-max is -1). */
    public static Tensor gatherAtArgmax(PoolGeometry g, Tensor xDot, int[] argmax) {
        require("max_pool2d", g, "input tangent", xDot, g.inputShape());
        requireArgmax(g, argmax);
        Tensor yDot = Tensor.zeros(g.outputShape());
        final int hw = g.inH() * g.inW(), p = g.outH() * g.outW();
        final float[] xd = xDot.data(), yd = yDot.data();
        final int xo = xDot.offset();
        Parallel.forRange(g.n() * g.channels(), 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xp = xo + plane * hw, op = plane * p;
                for (int o = 0; o < p; o++) {
                    int a = argmax[op + o];
                    yd[op + o] = a >= 0 ? xd[xp + a] : 0f;
                }
            }
        });
        return yDot;
    }

    private static void requireArgmax(PoolGeometry g, int[] argmax) {
        if (argmax == null || argmax.length != g.outputSize()) {
            throw new IllegalArgumentException("max_pool2d: argmax has length "
                    + (argmax == null ? "null" : String.valueOf(argmax.length)) + ", expected " + g.outputSize()
                    + " for output " + Arrays.toString(g.outputShape()));
        }
        int hw = g.inH() * g.inW();
        for (int a : argmax) {
            if (a < -1 || a >= hw) {
                throw new IllegalArgumentException("max_pool2d: argmax entry " + a + " is outside the input plane of "
                        + g.inH() + "x" + g.inW());
            }
        }
    }

    // ---------------------------------------------------------------- average pooling

    /** Average pooling with {@code countIncludePad = true} (PyTorch's default). */
    public static Tensor avgForward(PoolGeometry g, Tensor x) {
        return avgForward(g, x, true);
    }

    /** Average pooling; the divisor is the full window ({@code countIncludePad}) or its in-image part. */
    public static Tensor avgForward(PoolGeometry g, Tensor x, boolean countIncludePad) {
        requireNoDilation(g);
        require("avg_pool2d", g, "input", x, g.inputShape());
        Tensor y = Tensor.zeros(g.outputShape());
        final int h = g.inH(), w = g.inW(), oh = g.outH(), ow = g.outW();
        final float[] xd = x.data(), yd = y.data();
        final int xo = x.offset();
        Parallel.forRange(g.n() * g.channels(), 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xp = xo + plane * h * w, op = plane * oh * ow;
                for (int r = 0; r < oh; r++) {
                    int h0 = r * g.strideH() - g.padH();
                    int hLo = Math.max(h0, 0), hHi = Math.min(h0 + g.kernelH(), h);
                    for (int q = 0; q < ow; q++) {
                        int w0 = q * g.strideW() - g.padW();
                        int wLo = Math.max(w0, 0), wHi = Math.min(w0 + g.kernelW(), w);
                        double s = 0;
                        for (int ih = hLo; ih < hHi; ih++) {
                            for (int iw = wLo; iw < wHi; iw++) s += xd[xp + ih * w + iw];
                        }
                        yd[op + r * ow + q] = (float) (s / divisor(g, h0, w0, countIncludePad));
                    }
                }
            }
        });
        return y;
    }

    /** Gradient of average pooling ({@code countIncludePad = true}). */
    public static Tensor avgBackward(PoolGeometry g, Tensor gy) {
        return avgBackward(g, gy, true);
    }

    public static Tensor avgBackward(PoolGeometry g, Tensor gy, boolean countIncludePad) {
        Tensor gx = Tensor.zeros(g.inputShape());
        avgBackwardInto(g, gy, gx, countIncludePad, true);
        return gx;
    }

    /** Average-pooling gradient ({@code gy / divisor} spread over each window) written to or added to {@code gx}. */
    public static void avgBackwardInto(PoolGeometry g, Tensor gy, Tensor gx, boolean countIncludePad,
                                       boolean accumulate) {
        requireNoDilation(g);
        require("avg_pool2d", g, "output gradient", gy, g.outputShape());
        require("avg_pool2d", g, "input gradient", gx, g.inputShape());
        final int h = g.inH(), w = g.inW(), oh = g.outH(), ow = g.outW();
        final float[] gyd = gy.data(), gxd = gx.data();
        final int gyo = gy.offset(), gxo = gx.offset();
        Parallel.forRange(g.n() * g.channels(), 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xp = gxo + plane * h * w, op = gyo + plane * oh * ow;
                if (!accumulate) Arrays.fill(gxd, xp, xp + h * w, 0f);
                for (int r = 0; r < oh; r++) {
                    int h0 = r * g.strideH() - g.padH();
                    int hLo = Math.max(h0, 0), hHi = Math.min(h0 + g.kernelH(), h);
                    for (int q = 0; q < ow; q++) {
                        int w0 = q * g.strideW() - g.padW();
                        int wLo = Math.max(w0, 0), wHi = Math.min(w0 + g.kernelW(), w);
                        float share = gyd[op + r * ow + q] / divisor(g, h0, w0, countIncludePad);
                        for (int ih = hLo; ih < hHi; ih++) {
                            for (int iw = wLo; iw < wHi; iw++) gxd[xp + ih * w + iw] += share;
                        }
                    }
                }
            }
        });
    }

    /**
     * The number a window sum is divided by: the window's positions inside the padded input
     * ({@code countIncludePad}) or inside the input itself. In floor mode a window never reaches
     * past the padded input, so the former is the kernel area; in ceil mode the last window may,
     * and its overhang counts for nothing (PyTorch's rule).
     */
    private static int divisor(PoolGeometry g, int h0, int w0, boolean countIncludePad) {
        if (countIncludePad) {
            return (Math.min(h0 + g.kernelH(), g.inH() + g.padH()) - h0) * (Math.min(w0 + g.kernelW(), g.inW() + g.padW()) - w0);
        }
        int rows = Math.min(h0 + g.kernelH(), g.inH()) - Math.max(h0, 0);
        int cols = Math.min(w0 + g.kernelW(), g.inW()) - Math.max(w0, 0);
        return rows * cols;
    }

    private static void requireNoDilation(PoolGeometry g) {
        if (g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("avg_pool2d: dilation is not supported (got " + g.dilationH() + "x"
                    + g.dilationW() + "); only max pooling takes a dilation");
        }
    }

    // ---------------------------------------------------------------- global average pooling

    /** Mean of each plane: x {@code [N,C,H,W]} -> {@code [N,C]}, summed in double precision. */
    public static Tensor globalAvgForward(Tensor x) {
        Shapes.requireRank("global_avg_pool2d", "input", x, 4);
        final int planes = x.dim(0) * x.dim(1), hw = x.dim(2) * x.dim(3);
        Tensor y = Tensor.zeros(x.dim(0), x.dim(1));
        final float[] xd = x.data(), yd = y.data();
        final int xo = x.offset();
        Parallel.forRange(planes, 16, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                double s = 0;
                int b = xo + plane * hw;
                for (int i = 0; i < hw; i++) s += xd[b + i];
                yd[plane] = (float) (s / hw);
            }
        });
        return y;
    }

    /** Gradient of global average pooling: gy {@code [N,C]} spread as {@code gy / (H W)} over {@code [N,C,H,W]}. */
    public static Tensor globalAvgBackward(Tensor gy, int h, int w) {
        Shapes.requireRank("global_avg_pool2d", "output gradient", gy, 2);
        Tensor gx = Tensor.uninitialized(gy.dim(0), gy.dim(1), h, w);
        globalAvgBackwardInto(gy, gx, false);
        return gx;
    }

    /** Global-average-pooling gradient written to (or, when {@code accumulate}, added to) gx {@code [N,C,H,W]}. */
    public static void globalAvgBackwardInto(Tensor gy, Tensor gx, boolean accumulate) {
        Shapes.requireRank("global_avg_pool2d", "input gradient", gx, 4);
        if (gy.rank() != 2 || gy.dim(0) != gx.dim(0) || gy.dim(1) != gx.dim(1)) {
            throw new IllegalArgumentException("global_avg_pool2d: output gradient has shape "
                    + Arrays.toString(gy.shape()) + ", expected [" + gx.dim(0) + ", " + gx.dim(1)
                    + "] for input gradient " + Arrays.toString(gx.shape()));
        }
        final int planes = gx.dim(0) * gx.dim(1), hw = gx.dim(2) * gx.dim(3);
        final float[] gyd = gy.data(), gxd = gx.data();
        final int gyo = gy.offset(), gxo = gx.offset();
        Parallel.forRange(planes, 16, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                float share = (float) ((double) gyd[gyo + plane] / hw);
                int b = gxo + plane * hw;
                if (accumulate) {
                    for (int i = 0; i < hw; i++) gxd[b + i] += share;
                } else {
                    Arrays.fill(gxd, b, b + hw, share);
                }
            }
        });
    }

    private static void require(String op, PoolGeometry g, String what, Tensor t, int[] expected) {
        if (t == null) throw new IllegalArgumentException(op + ": " + what + " is null; expected shape "
                + Arrays.toString(expected) + " for " + g);
        if (!t.hasShape(expected)) {
            throw new IllegalArgumentException(op + ": " + what + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(expected) + " for " + g);
        }
    }
}
