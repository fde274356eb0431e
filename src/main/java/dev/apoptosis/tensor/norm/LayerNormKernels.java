package dev.apoptosis.tensor.norm;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import dev.apoptosis.tensor.elementwise.ElementwiseVector;
import dev.apoptosis.tensor.reduce.Reductions;

/**
 * LayerNorm building blocks over the last dimension of {@code [rows, C]} (a tensor
 * {@code [..., C]} has one row per leading index), with γ and β per column:
 * <pre>
 *   stats     mean_r, biased var_r (two passes in float64), invStd_r = 1/√(var_r + ε)
 *   apply     x̂ = (x - mean_r)·invStd_r,  y = γ ⊙ x̂ + β
 *   project   w = γ ⊙ v;  out = invStd_r·(w - Σw/C - x̂ Σ(w x̂)/C)   (sums over the row)
 *   backward  gβ = Σ_rows g, gγ = Σ_rows g x̂, gx = project(g)
 * </pre>
 * {@code project} with v = g is the input gradient; with γ = null (1) and v = ẋ it is the
 * tangent of x̂. Row sums for second-order rules: {@link Reductions#rowSums},
 * {@link Reductions#rowDots}; column sums: {@link Reductions#columnSums}.
 *
 * <p>Per-row and per-column vectors are plain arrays indexed from 0; γ/β may be null. Rows are
 * independent and split across threads, so results do not depend on the thread count.
 */
public final class LayerNormKernels {
    private LayerNormKernels() {}

    private static void checkRows(String op, int rows, int cols) {
        if (rows < 0 || cols < 1) throw new IllegalArgumentException(op + ": bad extent [" + rows + ", " + cols + "]");
    }

    /** Per-row mean, biased variance and (if invStd is not null) 1/√(var + eps). */
    public static void stats(float[] x, int off, int rows, int cols, float eps, float[] mean, float[] var, float[] invStd) {
        String op = "layerNorm.stats";
        checkRows(op, rows, cols);
        Kernels.window(op, "x", x, off, Kernels.volume(op, rows, cols, 1));
        Kernels.vector(op, "mean", mean, rows);
        Kernels.vector(op, "var", var, rows);
        if (invStd != null) Kernels.vector(op, "invStd", invStd, rows);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int at = off + r * cols;
                double mu = Reductions.sumRange(simd, x, at, cols) / cols;
                double v = Reductions.squaredDeviationsRange(simd, x, at, cols, mu) / cols;
                mean[r] = (float) mu;
                var[r] = (float) v;
                if (invStd != null) invStd[r] = (float) (1 / Math.sqrt(v + eps));
            }
        });
    }

    /** x̂ = (x - mean_r)·invStd_r (written when xhat is not null), y = γ ⊙ x̂ + β. */
    public static void apply(float[] x, int xOff, int rows, int cols, float[] mean, float[] invStd, float[] gamma,
                             float[] beta, float[] xhat, int xhatOff, float[] y, int yOff) {
        String op = "layerNorm.apply";
        checkRows(op, rows, cols);
        int n = Kernels.volume(op, rows, cols, 1);
        Kernels.window(op, "x", x, xOff, n);
        Kernels.window(op, "y", y, yOff, n);
        if (xhat != null) Kernels.window(op, "xhat", xhat, xhatOff, n);
        Kernels.vector(op, "mean", mean, rows);
        Kernels.vector(op, "invStd", invStd, rows);
        float[] g = Norms.onesIfNull(gamma, cols), b = Norms.zerosIfNull(beta, cols);
        Kernels.vector(op, "gamma", g, cols);
        Kernels.vector(op, "beta", b, cols);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int at = r * cols;
                if (simd) NormVector.applyAffineRow(x, xOff + at, mean[r], invStd[r], g, b, xhat, xhatOff + at, y, yOff + at, cols);
                else NormScalar.applyAffineRow(x, xOff + at, mean[r], invStd[r], g, b, xhat, xhatOff + at, y, yOff + at, cols);
            }
        });
    }

    /** w = γ ⊙ v (γ = 1 when null); out = invStd_r·(w - mean_r(w) - x̂ mean_r(w x̂)). */
    public static void project(float[] v, int vOff, float[] xhat, int xhatOff, int rows, int cols, float[] invStd,
                               float[] gamma, float[] out, int outOff) {
        String op = "layerNorm.project";
        checkRows(op, rows, cols);
        int n = Kernels.volume(op, rows, cols, 1);
        Kernels.window(op, "v", v, vOff, n);
        Kernels.window(op, "xhat", xhat, xhatOff, n);
        Kernels.window(op, "out", out, outOff, n);
        Kernels.vector(op, "invStd", invStd, rows);
        if (gamma != null) Kernels.vector(op, "gamma", gamma, cols);
        boolean simd = Simd.enabled();
        Parallel.forRange(rows, Kernels.rowGrain(cols, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            float[] w = gamma == null ? null : new float[cols];
            for (int r = lo; r < hi; r++) {
                int at = r * cols;
                float[] wa = v;
                int wo = vOff + at;
                if (gamma != null) {
                    if (simd) ElementwiseVector.mul(gamma, 0, v, vOff + at, w, 0, cols);
                    else Elementwise.mulLoop(gamma, 0, v, vOff + at, w, 0, cols);
                    wa = w;
                    wo = 0;
                }
                float k1 = (float) (Reductions.sumRange(simd, wa, wo, cols) / cols);
                float k2 = (float) (Reductions.dotRange(simd, wa, wo, xhat, xhatOff + at, cols) / cols);
                if (simd) NormVector.projectSegment(wa, wo, xhat, xhatOff + at, invStd[r], k1, k2, out, outOff + at, cols);
                else NormScalar.projectSegment(wa, wo, xhat, xhatOff + at, invStd[r], k1, k2, out, outOff + at, cols);
            }
        });
    }

    /** gx = project(g); gGamma = Σ_rows g x̂ and gBeta = Σ_rows g per column, each written when not null. */
    public static void backward(float[] g, int gOff, float[] xhat, int xhatOff, int rows, int cols, float[] invStd,
                                float[] gamma, float[] gx, int gxOff, float[] gGamma, float[] gBeta) {
        project(g, gOff, xhat, xhatOff, rows, cols, invStd, gamma, gx, gxOff);
        double[] s = new double[cols];
        if (gGamma != null) {
            Kernels.vector("layerNorm.backward", "gGamma", gGamma, cols);
            Reductions.sumProductPerChannel(g, gOff, xhat, xhatOff, rows, cols, 1, s);
            for (int c = 0; c < cols; c++) gGamma[c] = (float) s[c];
        }
        if (gBeta != null) {
            Kernels.vector("layerNorm.backward", "gBeta", gBeta, cols);
            Reductions.sumPerChannel(g, gOff, rows, cols, 1, s);
            for (int c = 0; c < cols; c++) gBeta[c] = (float) s[c];
        }
    }

    // ---- Tensor overloads: x is [..., C]; row tensors have shape [...], column tensors [C] ----

    public static Norms.Stats stats(Tensor x, float eps) {
        Kernels.rankAtLeast("layerNorm.stats", "x", x, 1);
        int[] rowShape = java.util.Arrays.copyOf(x.shape(), x.rank() - 1);
        Tensor mean = Tensor.zeros(rowShape), var = Tensor.zeros(rowShape), invStd = Tensor.zeros(rowShape);
        stats(x.data(), x.offset(), Kernels.leadingSize(x), x.dim(-1), eps, mean.data(), var.data(), invStd.data());
        return new Norms.Stats(mean, var, invStd);
    }

    /** γ and β may be null. */
    public static Norms.Output apply(Tensor x, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta) {
        Kernels.rankAtLeast("layerNorm.apply", "x", x, 1);
        requireRowsAndColumns("layerNorm.apply", x, new Tensor[] {mean, invStd}, new Tensor[] {gamma, beta});
        Tensor xhat = Tensor.uninitialized(x.shape()), y = Tensor.uninitialized(x.shape());
        apply(x.data(), x.offset(), Kernels.leadingSize(x), x.dim(-1), Kernels.dense(mean), Kernels.dense(invStd),
                Norms.denseOrNull(gamma), Norms.denseOrNull(beta), xhat.data(), 0, y.data(), 0);
        return new Norms.Output(xhat, y);
    }

    /** invStd_r·(w - mean_r(w) - x̂ mean_r(w x̂)) with w = γ ⊙ v; γ may be null. */
    public static Tensor project(Tensor v, Tensor xhat, Tensor invStd, Tensor gamma) {
        Shapes.requireSame("layerNorm.project", v, xhat);
        Kernels.rankAtLeast("layerNorm.project", "v", v, 1);
        requireRowsAndColumns("layerNorm.project", v, new Tensor[] {invStd}, new Tensor[] {gamma});
        Tensor out = Tensor.uninitialized(v.shape());
        project(v.data(), v.offset(), xhat.data(), xhat.offset(), Kernels.leadingSize(v), v.dim(-1), Kernels.dense(invStd),
                Norms.denseOrNull(gamma), out.data(), 0);
        return out;
    }

    /** Backward; γ may be null (then gGamma and gBeta are null too). */
    public static Norms.Grads backward(Tensor g, Tensor xhat, Tensor invStd, Tensor gamma) {
        Shapes.requireSame("layerNorm.backward", g, xhat);
        Kernels.rankAtLeast("layerNorm.backward", "g", g, 1);
        requireRowsAndColumns("layerNorm.backward", g, new Tensor[] {invStd}, new Tensor[] {gamma});
        int cols = g.dim(-1);
        Tensor gx = Tensor.uninitialized(g.shape());
        Tensor gGamma = gamma == null ? null : Tensor.zeros(cols), gBeta = gamma == null ? null : Tensor.zeros(cols);
        backward(g.data(), g.offset(), xhat.data(), xhat.offset(), Kernels.leadingSize(g), cols, Kernels.dense(invStd),
                Norms.denseOrNull(gamma), gx.data(), 0, gGamma == null ? null : gGamma.data(),
                gBeta == null ? null : gBeta.data());
        return new Norms.Grads(gx, gGamma, gBeta);
    }

    private static void requireRowsAndColumns(String op, Tensor x, Tensor[] perRow, Tensor[] perColumn) {
        int[] rowShape = java.util.Arrays.copyOf(x.shape(), x.rank() - 1);
        for (Tensor t : perRow) {
            if (t == null || !t.hasShape(rowShape)) {
                throw new IllegalArgumentException(op + ": per-row tensor of shape " + (t == null ? "null" : Shapes.str(t.shape()))
                        + " does not match x of shape " + Shapes.str(x.shape()) + " (expected " + Shapes.str(rowShape) + ")");
            }
        }
        for (Tensor t : perColumn) {
            if (t != null && !t.hasShape(x.dim(-1))) {
                throw new IllegalArgumentException(op + ": per-column tensor of shape " + Shapes.str(t.shape())
                        + " does not match x of shape " + Shapes.str(x.shape()) + " (expected [" + x.dim(-1) + "])");
            }
        }
    }
}
