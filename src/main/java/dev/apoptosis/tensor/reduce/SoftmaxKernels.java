package dev.apoptosis.tensor.reduce;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import dev.apoptosis.tensor.elementwise.ElementwiseVector;
import dev.apoptosis.tensor.elementwise.FloatMath;
import dev.apoptosis.tensor.elementwise.FloatMathVector;

/**
 * Row-wise softmax over the last dimension of {@code [rows, cols]}, log-softmax, log-sum-exp, and
 * the derivative kernels their autodiff rules need. With p = softmax(x):
 * <pre>
 *   softmax      JVP  ṗ = p ⊙ (ẋ - ⟨p, ẋ⟩)          VJP  g_x = p ⊙ (g - ⟨p, g⟩)   (the Jacobian is symmetric)
 *   log-softmax  JVP  ẏ = ẋ - ⟨p, ẋ⟩               VJP  g_x = g - p Σg
 *   second-order terms of rBackward (g fixed, x moving along ẋ, ṗ = softmax JVP of ẋ):
 *     softmax      ṗ ⊙ (g - ⟨p, g⟩) - p ⟨ṗ, g⟩
 *     log-softmax  -ṗ Σg
 * </pre>
 * so rBackward = VJP(p, ġ) + the second-order term. Row statistics (max, Σe^(x-max), inner
 * products) accumulate in float64; every value is shifted by its row maximum before {@code exp}.
 * Rows are independent and split across threads, so results do not depend on the thread count.
 * Outputs may be the same window as an input.
 */
public final class SoftmaxKernels {
    private SoftmaxKernels() {}

    /**
     * Writes softmax of one row into {@code out} and returns its log-sum-exp. A row of -∞ (or
     * holding +∞ or NaN) gives NaN probabilities; its log-sum-exp is -∞ for an all -∞ row.
     */
    static double softmaxRow(boolean simd, float[] x, int xo, float[] out, int oo, int cols) {
        float m = Reductions.maxRange(simd, x, xo, cols);
        shiftedExp(simd, x, xo, m, out, oo, cols);
        double s = Reductions.sumRange(simd, out, oo, cols);
        scale(simd, (float) (1 / s), out, oo, cols);
        return m == Float.NEGATIVE_INFINITY ? m : m + Math.log(s);
    }

    /** out = e^(x - m). */
    private static void shiftedExp(boolean simd, float[] x, int xo, float m, float[] out, int oo, int cols) {
        if (simd) {
            ElementwiseVector.addScalar(x, xo, -m, out, oo, cols);
            FloatMathVector.exp(out, oo, out, oo, cols);
        } else {
            for (int j = 0; j < cols; j++) out[oo + j] = FloatMath.exp(x[xo + j] + -m);
        }
    }

    private static void scale(boolean simd, float a, float[] out, int oo, int cols) {
        if (simd) ElementwiseVector.scale(a, out, oo, out, oo, cols);
        else Elementwise.scaleLoop(a, out, oo, out, oo, cols);
    }

    private static void addScalar(boolean simd, float[] x, int xo, float s, float[] out, int oo, int cols) {
        if (simd) ElementwiseVector.addScalar(x, xo, s, out, oo, cols);
        else Elementwise.addScalarLoop(x, xo, s, out, oo, cols);
    }

    private static void checkRows(String op, int rows, int cols, float[] a, int aOff, String what) {
        if (cols < 1 && rows > 0) throw new IllegalArgumentException(op + ": rows of length 0");
        Kernels.window(op, what, a, aOff, Kernels.volume(op, rows, cols, 1));
    }

    /** out[r, :] = softmax(x[r, :]). */
    public static void softmax(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        checkRows("softmax", rows, cols, x, xOff, "x");
        checkRows("softmax", rows, cols, out, outOff, "out");
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_COSTLY), (lo, hi) -> {
            for (int r = lo; r < hi; r++) softmaxRow(simd, x, xOff + r * cols, out, outOff + r * cols, cols);
        });
    }

    /** out[r, :] = x[r, :] - logsumexp(x[r, :]), computed as (x - max) - log Σe^(x - max). */
    public static void logSoftmax(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        checkRows("logSoftmax", rows, cols, x, xOff, "x");
        checkRows("logSoftmax", rows, cols, out, outOff, "out");
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_COSTLY), (lo, hi) -> {
            float[] e = new float[cols];
            for (int r = lo; r < hi; r++) {
                int xo = xOff + r * cols, oo = outOff + r * cols;
                float m = Reductions.maxRange(simd, x, xo, cols);
                shiftedExp(simd, x, xo, m, e, 0, cols);
                float logS = (float) Math.log(Reductions.sumRange(simd, e, 0, cols));
                addScalar(simd, x, xo, -m, out, oo, cols);
                addScalar(simd, out, oo, -logS, out, oo, cols);
            }
        });
    }

    /** out[r] = log Σ_c e^(x[r, c]) in float64. */
    public static void logSumExp(float[] x, int xOff, int rows, int cols, double[] out) {
        checkRows("logSumExp", rows, cols, x, xOff, "x");
        Kernels.vector("logSumExp", "out", out, rows);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_COSTLY), (lo, hi) -> {
            float[] e = new float[cols];
            for (int r = lo; r < hi; r++) out[r] = softmaxRow(simd, x, xOff + r * cols, e, 0, cols);
        });
    }

    /** Softmax JVP: out = p ⊙ (v - ⟨p, v⟩) per row, with v = ẋ. */
    public static void softmaxJvp(float[] p, int pOff, float[] v, int vOff, float[] out, int outOff, int rows, int cols) {
        jacobianProduct("softmaxJvp", p, pOff, v, vOff, out, outOff, rows, cols);
    }

    /** Softmax VJP: out = p ⊙ (g - ⟨p, g⟩) per row (the same product: the Jacobian is symmetric). */
    public static void softmaxVjp(float[] p, int pOff, float[] g, int gOff, float[] out, int outOff, int rows, int cols) {
        jacobianProduct("softmaxVjp", p, pOff, g, gOff, out, outOff, rows, cols);
    }

    private static void jacobianProduct(String op, float[] p, int pOff, float[] v, int vOff, float[] out, int outOff,
                                        int rows, int cols) {
        checkThree(op, p, pOff, v, vOff, out, outOff, rows, cols);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int po = pOff + r * cols, vo = vOff + r * cols, oo = outOff + r * cols;
                float c = (float) Reductions.dotRange(simd, p, po, v, vo, cols);
                if (simd) SoftmaxVector.centeredProduct(p, po, v, vo, c, out, oo, cols);
                else for (int j = 0; j < cols; j++) out[oo + j] = p[po + j] * (v[vo + j] - c);
            }
        });
    }

    /** Log-softmax JVP: out = v - ⟨p, v⟩ per row, with v = ẋ. */
    public static void logSoftmaxJvp(float[] p, int pOff, float[] v, int vOff, float[] out, int outOff, int rows, int cols) {
        checkThree("logSoftmaxJvp", p, pOff, v, vOff, out, outOff, rows, cols);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int po = pOff + r * cols, vo = vOff + r * cols, oo = outOff + r * cols;
                float c = (float) Reductions.dotRange(simd, p, po, v, vo, cols);
                addScalar(simd, v, vo, -c, out, oo, cols);
            }
        });
    }

    /** Log-softmax VJP: out = g - p Σg per row. */
    public static void logSoftmaxVjp(float[] p, int pOff, float[] g, int gOff, float[] out, int outOff, int rows, int cols) {
        checkThree("logSoftmaxVjp", p, pOff, g, gOff, out, outOff, rows, cols);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int po = pOff + r * cols, go = gOff + r * cols, oo = outOff + r * cols;
                float s = (float) Reductions.sumRange(simd, g, go, cols);
                if (simd) SoftmaxVector.subtractScaled(g, go, s, p, po, out, oo, cols);
                else for (int j = 0; j < cols; j++) out[oo + j] = g[go + j] - s * p[po + j];
            }
        });
    }

    /**
     * Softmax's second-order term of rBackward: out = ṗ ⊙ (g - ⟨p, g⟩) - p ⟨ṗ, g⟩ per row, where
     * ṗ = softmaxJvp(p, ẋ). Add softmaxVjp(p, ġ) for the full R-adjoint.
     */
    public static void softmaxSecondOrder(float[] p, int pOff, float[] pDot, int pDotOff, float[] g, int gOff,
                                          float[] out, int outOff, int rows, int cols) {
        checkThree("softmaxSecondOrder", p, pOff, pDot, pDotOff, out, outOff, rows, cols);
        checkRows("softmaxSecondOrder", rows, cols, g, gOff, "g");
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int po = pOff + r * cols, qo = pDotOff + r * cols, go = gOff + r * cols, oo = outOff + r * cols;
                float pg = (float) Reductions.dotRange(simd, p, po, g, go, cols);
                float qg = (float) Reductions.dotRange(simd, pDot, qo, g, go, cols);
                if (simd) {
                    SoftmaxVector.centeredProductMinusScaled(pDot, qo, g, go, pg, qg, p, po, out, oo, cols);
                } else {
                    for (int j = 0; j < cols; j++) out[oo + j] = pDot[qo + j] * (g[go + j] - pg) - qg * p[po + j];
                }
            }
        });
    }

    /**
     * Log-softmax's second-order term of rBackward: out = -ṗ Σg per row, where ṗ = softmaxJvp(p, ẋ).
     * Add logSoftmaxVjp(p, ġ) for the full R-adjoint.
     */
    public static void logSoftmaxSecondOrder(float[] pDot, int pDotOff, float[] g, int gOff, float[] out, int outOff,
                                             int rows, int cols) {
        checkThree("logSoftmaxSecondOrder", pDot, pDotOff, g, gOff, out, outOff, rows, cols);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int qo = pDotOff + r * cols, go = gOff + r * cols, oo = outOff + r * cols;
                float s = (float) Reductions.sumRange(simd, g, go, cols);
                if (simd) ElementwiseVector.scale(-s, pDot, qo, out, oo, cols);
                else Elementwise.scaleLoop(-s, pDot, qo, out, oo, cols);
            }
        });
    }

    private static void checkThree(String op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int rows, int cols) {
        checkRows(op, rows, cols, a, ao, "first operand");
        checkRows(op, rows, cols, b, bo, "second operand");
        checkRows(op, rows, cols, out, oo, "out");
    }

    // ---- Tensor overloads: rows are all leading dimensions, the softmax runs over the last ----

    public static Tensor softmax(Tensor x) {
        Kernels.rankAtLeast("softmax", "x", x, 1);
        Tensor out = Tensor.uninitialized(x.shape());
        softmax(x.data(), x.offset(), out.data(), 0, Kernels.leadingSize(x), x.dim(-1));
        return out;
    }

    public static Tensor logSoftmax(Tensor x) {
        Kernels.rankAtLeast("logSoftmax", "x", x, 1);
        Tensor out = Tensor.uninitialized(x.shape());
        logSoftmax(x.data(), x.offset(), out.data(), 0, Kernels.leadingSize(x), x.dim(-1));
        return out;
    }

    /** log Σ e^x over the last dimension: {@code [..., C] -> [...]}, rounded to float. */
    public static Tensor logSumExp(Tensor x) {
        Kernels.rankAtLeast("logSumExp", "x", x, 1);
        double[] l = new double[Kernels.leadingSize(x)];
        logSumExp(x.data(), x.offset(), l.length, x.dim(-1), l);
        Tensor out = Tensor.zeros(java.util.Arrays.copyOf(x.shape(), x.rank() - 1));
        for (int i = 0; i < l.length; i++) out.setAt(i, (float) l[i]);
        return out;
    }

    public static Tensor softmaxJvp(Tensor p, Tensor xDot) {
        return rowOp("softmaxJvp", p, xDot, SoftmaxKernels::softmaxJvp);
    }

    public static Tensor softmaxVjp(Tensor p, Tensor g) {
        return rowOp("softmaxVjp", p, g, SoftmaxKernels::softmaxVjp);
    }

    public static Tensor logSoftmaxJvp(Tensor p, Tensor xDot) {
        return rowOp("logSoftmaxJvp", p, xDot, SoftmaxKernels::logSoftmaxJvp);
    }

    public static Tensor logSoftmaxVjp(Tensor p, Tensor g) {
        return rowOp("logSoftmaxVjp", p, g, SoftmaxKernels::logSoftmaxVjp);
    }

    public static Tensor softmaxSecondOrder(Tensor p, Tensor pDot, Tensor g) {
        Shapes.requireSame("softmaxSecondOrder", p, pDot);
        Shapes.requireSame("softmaxSecondOrder", p, g);
        Kernels.rankAtLeast("softmaxSecondOrder", "p", p, 1);
        Tensor out = Tensor.uninitialized(p.shape());
        softmaxSecondOrder(p.data(), p.offset(), pDot.data(), pDot.offset(), g.data(), g.offset(), out.data(), 0,
                Kernels.leadingSize(p), p.dim(-1));
        return out;
    }

    public static Tensor logSoftmaxSecondOrder(Tensor pDot, Tensor g) {
        return rowOp("logSoftmaxSecondOrder", pDot, g, SoftmaxKernels::logSoftmaxSecondOrder);
    }

    @FunctionalInterface
    private interface RowOp {
        void run(float[] a, int ao, float[] b, int bo, float[] out, int oo, int rows, int cols);
    }

    private static Tensor rowOp(String op, Tensor a, Tensor b, RowOp f) {
        Shapes.requireSame(op, a, b);
        Kernels.rankAtLeast(op, "first operand", a, 1);
        Tensor out = Tensor.uninitialized(a.shape());
        f.run(a.data(), a.offset(), b.data(), b.offset(), out.data(), 0, Kernels.leadingSize(a), a.dim(-1));
        return out;
    }
}
