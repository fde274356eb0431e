package dev.apoptosis.tensor.norm;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.reduce.Reductions;

/**
 * BatchNorm building blocks over {@code [outer=N, channels=C, inner=H·W]} (NCHW maps, and
 * {@code [N, C]} with inner = 1), statistics per channel over the M = N·H·W values:
 * <pre>
 *   stats     mean_c, biased var_c (one pass in float64, about a shift), invStd_c = 1/√(var_c + ε)
 *   apply     x̂ = (x - mean)·invStd,  y = γ x̂ + β
 *   project   out = s·invStd·(v - Σv/M - x̂ Σ(v x̂)/M)
 *   backward  gβ = Σg, gγ = Σ g x̂, gx = project(g) with s = γ
 * </pre>
 * {@code project} is the normalisation's Jacobian (symmetric): with s = γ and v = g it is
 * train-mode BatchNorm's input gradient; with s = 1 (null) and v = ẋ it is the tangent x̂̇ of the
 * normalised input. The per-channel sums it needs are {@link Reductions#sumAndProductPerChannel}'s
 * (Σv and Σv x̂ in one pass): the building blocks for second-order rules.
 * Eval-mode BatchNorm is {@code apply} with running statistics ({@link #invStd} turns a running
 * variance into invStd).
 *
 * <p>Per-channel vectors are plain arrays indexed from 0; γ/β may be null (1 and 0). Results do
 * not depend on the thread count; vector and scalar paths agree bit for bit except for the
 * float64 sums.
 */
public final class BatchNormKernels {
    private BatchNormKernels() {}

    /** Per-channel mean, biased variance and (if invStd is not null) 1/√(var + eps). */
    public static void stats(float[] x, int off, int outer, int channels, int inner, float eps, float[] mean, float[] var,
                             float[] invStd) {
        String op = "batchNorm.stats";
        int n = Kernels.volume(op, outer, channels, inner);
        Kernels.window(op, "x", x, off, n);
        Kernels.vector(op, "mean", mean, channels);
        Kernels.vector(op, "var", var, channels);
        if (invStd != null) Kernels.vector(op, "invStd", invStd, channels);
        long m = (long) outer * inner;
        if (m == 0) throw new IllegalArgumentException(op + ": no values per channel in [" + outer + ", " + channels + ", " + inner + "]");
        // One pass over x: sums of the deviations from each channel's first value and of their squares.
        double[] shift = new double[channels], sums = new double[channels], sq = new double[channels];
        for (int c = 0; c < channels; c++) shift[c] = x[off + c * inner];
        Reductions.shiftedSumsPerChannel(x, off, shift, outer, channels, inner, sums, sq);
        for (int c = 0; c < channels; c++) {
            double d = sums[c] / m;
            double v = Math.max(0, sq[c] / m - d * d);
            mean[c] = (float) (shift[c] + d);
            var[c] = (float) v;
            if (invStd != null) invStd[c] = (float) (1 / Math.sqrt(v + eps));
        }
    }

    /** out[c] = 1/√(var[c] + eps), in float64 before rounding. */
    public static void invStd(float[] var, float eps, float[] out, int channels) {
        Kernels.vector("batchNorm.invStd", "var", var, channels);
        Kernels.vector("batchNorm.invStd", "out", out, channels);
        for (int c = 0; c < channels; c++) out[c] = (float) (1 / Math.sqrt((double) var[c] + eps));
    }

    /** x̂ = (x - mean)·invStd (written when xhat is not null), y = γ x̂ + β. */
    public static void apply(float[] x, int xOff, int outer, int channels, int inner, float[] mean, float[] invStd,
                             float[] gamma, float[] beta, float[] xhat, int xhatOff, float[] y, int yOff) {
        String op = "batchNorm.apply";
        int n = Kernels.volume(op, outer, channels, inner);
        Kernels.window(op, "x", x, xOff, n);
        Kernels.window(op, "y", y, yOff, n);
        if (xhat != null) Kernels.window(op, "xhat", xhat, xhatOff, n);
        Kernels.vector(op, "mean", mean, channels);
        Kernels.vector(op, "invStd", invStd, channels);
        float[] g = Norms.onesIfNull(gamma, channels), b = Norms.zerosIfNull(beta, channels);
        Kernels.vector(op, "gamma", g, channels);
        Kernels.vector(op, "beta", b, channels);
        boolean simd = Simd.enabled();
        if (inner == 1) {
            Parallel.forRange(outer, Kernels.rowGrain(channels, Kernels.GRAIN_CHEAP), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int at = r * channels;
                    if (simd) NormVector.applyRow(x, xOff + at, mean, invStd, g, b, xhat, xhatOff + at, y, yOff + at, channels);
                    else NormScalar.applyRow(x, xOff + at, mean, invStd, g, b, xhat, xhatOff + at, y, yOff + at, channels);
                }
            });
        } else {
            Parallel.forRange(outer * channels, Kernels.rowGrain(inner, Kernels.GRAIN_CHEAP), (lo, hi) -> {
                for (int s = lo; s < hi; s++) {
                    int c = s % channels, at = s * inner;
                    if (simd) {
                        NormVector.applySegment(x, xOff + at, mean[c], invStd[c], g[c], b[c], xhat, xhatOff + at, y, yOff + at, inner);
                    } else {
                        NormScalar.applySegment(x, xOff + at, mean[c], invStd[c], g[c], b[c], xhat, xhatOff + at, y, yOff + at, inner);
                    }
                }
            });
        }
    }

    /**
     * out = s·invStd·(v - Σv/M - x̂ Σ(v x̂)/M) per channel, given sumV = Σv and sumVXhat = Σ v x̂
     * per channel (from {@link Reductions}); s = scale, or 1 if scale is null.
     */
    public static void project(float[] v, int vOff, float[] xhat, int xhatOff, int outer, int channels, int inner,
                               float[] invStd, float[] scale, double[] sumV, double[] sumVXhat, float[] out, int outOff) {
        String op = "batchNorm.project";
        int n = Kernels.volume(op, outer, channels, inner);
        Kernels.window(op, "v", v, vOff, n);
        Kernels.window(op, "xhat", xhat, xhatOff, n);
        Kernels.window(op, "out", out, outOff, n);
        Kernels.vector(op, "invStd", invStd, channels);
        Kernels.vector(op, "sumV", sumV, channels);
        Kernels.vector(op, "sumVXhat", sumVXhat, channels);
        if (scale != null) Kernels.vector(op, "scale", scale, channels);
        double m = (double) outer * inner;
        float[] a = new float[channels], k1 = new float[channels], k2 = new float[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = (float) ((scale == null ? 1.0 : scale[c]) * invStd[c]);
            k1[c] = (float) (sumV[c] / m);
            k2[c] = (float) (sumVXhat[c] / m);
        }
        boolean simd = Simd.enabled();
        if (inner == 1) {
            Parallel.forRange(outer, Kernels.rowGrain(channels, Kernels.GRAIN_CHEAP), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int at = r * channels;
                    if (simd) NormVector.projectRow(v, vOff + at, xhat, xhatOff + at, a, k1, k2, out, outOff + at, channels);
                    else NormScalar.projectRow(v, vOff + at, xhat, xhatOff + at, a, k1, k2, out, outOff + at, channels);
                }
            });
        } else {
            Parallel.forRange(outer * channels, Kernels.rowGrain(inner, Kernels.GRAIN_CHEAP), (lo, hi) -> {
                for (int s = lo; s < hi; s++) {
                    int c = s % channels, at = s * inner;
                    if (simd) NormVector.projectSegment(v, vOff + at, xhat, xhatOff + at, a[c], k1[c], k2[c], out, outOff + at, inner);
                    else NormScalar.projectSegment(v, vOff + at, xhat, xhatOff + at, a[c], k1[c], k2[c], out, outOff + at, inner);
                }
            });
        }
    }

    /**
     * Train-mode backward: gBeta = Σg and gGamma = Σ g x̂ per channel (each written when not null),
     * gx = γ·invStd·(g - Σg/M - x̂ Σ(g x̂)/M) (γ = 1 when gamma is null).
     */
    public static void backward(float[] g, int gOff, float[] xhat, int xhatOff, int outer, int channels, int inner,
                                float[] invStd, float[] gamma, float[] gx, int gxOff, float[] gGamma, float[] gBeta) {
        double[] sumG = new double[channels], sumGX = new double[channels];
        Reductions.sumAndProductPerChannel(g, gOff, xhat, xhatOff, outer, channels, inner, sumG, sumGX);
        project(g, gOff, xhat, xhatOff, outer, channels, inner, invStd, gamma, sumG, sumGX, gx, gxOff);
        if (gGamma != null) {
            Kernels.vector("batchNorm.backward", "gGamma", gGamma, channels);
            for (int c = 0; c < channels; c++) gGamma[c] = (float) sumGX[c];
        }
        if (gBeta != null) {
            Kernels.vector("batchNorm.backward", "gBeta", gBeta, channels);
            for (int c = 0; c < channels; c++) gBeta[c] = (float) sumG[c];
        }
    }

    // ---- Tensor overloads: x is [N, C, ...], per-channel tensors are [C] ----

    public static Norms.Stats stats(Tensor x, float eps) {
        int[] l = Kernels.channelExtent("batchNorm.stats", x);
        Tensor mean = Tensor.zeros(l[1]), var = Tensor.zeros(l[1]), invStd = Tensor.zeros(l[1]);
        stats(x.data(), x.offset(), l[0], l[1], l[2], eps, mean.data(), var.data(), invStd.data());
        return new Norms.Stats(mean, var, invStd);
    }

    /** γ and β may be null. */
    public static Norms.Output apply(Tensor x, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta) {
        int[] l = Kernels.channelExtent("batchNorm.apply", x);
        if (mean == null || invStd == null) throw new IllegalArgumentException("batchNorm.apply: mean and invStd are required");
        requireChannels("batchNorm.apply", x, l[1], mean, invStd, gamma, beta);
        Tensor xhat = Tensor.zeros(x.shape()), y = Tensor.zeros(x.shape());
        apply(x.data(), x.offset(), l[0], l[1], l[2], Kernels.dense(mean), Kernels.dense(invStd), Norms.denseOrNull(gamma),
                Norms.denseOrNull(beta), xhat.data(), 0, y.data(), 0);
        return new Norms.Output(xhat, y);
    }

    /** s·invStd·(v - mean(v) - x̂ mean(v x̂)) per channel; scale may be null (1). */
    public static Tensor project(Tensor v, Tensor xhat, Tensor invStd, Tensor scale) {
        Shapes.requireSame("batchNorm.project", v, xhat);
        int[] l = Kernels.channelExtent("batchNorm.project", v);
        if (invStd == null) throw new IllegalArgumentException("batchNorm.project: invStd is required");
        requireChannels("batchNorm.project", v, l[1], invStd, scale);
        double[] sumV = new double[l[1]], sumVX = new double[l[1]];
        Reductions.sumAndProductPerChannel(v.data(), v.offset(), xhat.data(), xhat.offset(), l[0], l[1], l[2], sumV, sumVX);
        Tensor out = Tensor.zeros(v.shape());
        project(v.data(), v.offset(), xhat.data(), xhat.offset(), l[0], l[1], l[2], Kernels.dense(invStd),
                Norms.denseOrNull(scale), sumV, sumVX, out.data(), 0);
        return out;
    }

    /** Train-mode backward; γ may be null (then gGamma and gBeta are null too). */
    public static Norms.Grads backward(Tensor g, Tensor xhat, Tensor invStd, Tensor gamma) {
        Shapes.requireSame("batchNorm.backward", g, xhat);
        int[] l = Kernels.channelExtent("batchNorm.backward", g);
        if (invStd == null) throw new IllegalArgumentException("batchNorm.backward: invStd is required");
        requireChannels("batchNorm.backward", g, l[1], invStd, gamma);
        Tensor gx = Tensor.zeros(g.shape());
        Tensor gGamma = gamma == null ? null : Tensor.zeros(l[1]), gBeta = gamma == null ? null : Tensor.zeros(l[1]);
        backward(g.data(), g.offset(), xhat.data(), xhat.offset(), l[0], l[1], l[2], Kernels.dense(invStd),
                Norms.denseOrNull(gamma), gx.data(), 0, gGamma == null ? null : gGamma.data(),
                gBeta == null ? null : gBeta.data());
        return new Norms.Grads(gx, gGamma, gBeta);
    }

    private static void requireChannels(String op, Tensor x, int channels, Tensor... perChannel) {
        for (Tensor t : perChannel) {
            if (t != null && !t.hasShape(channels)) {
                throw new IllegalArgumentException(op + ": per-channel tensor of shape " + Shapes.str(t.shape())
                        + " does not match x of shape " + Shapes.str(x.shape()) + " (expected [" + channels + "])");
            }
        }
    }
}
