package dev.apoptosis.tensor.norm;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;

/**
 * A linear combination of same-shaped tensors with per-channel coefficients:
 * <pre>
 *   out[o, c, i] = c0[c] + Σ_k a_k[c] · t_k[o, c, i]
 * </pre>
 * over the {@code [outer, channels, inner]} layout of {@link Elementwise} (NCHW maps, and
 * {@code [N, C]} with inner = 1). It is the one form every rule of a per-channel normalisation
 * takes once its per-channel sums are known: BatchNorm's tangent is a combination of ẋ, x̂ and a
 * constant, its second-order input adjoint one of ġ, g, ẋ, x̂ and a constant. Computing such a
 * result in one kernel call reads each operand once and writes the output once.
 *
 * <p>One more term may be a {@link Normalized} one, x̂ = (x − mean[c])·scale[c], computed on the fly
 * with exactly the float arithmetic of {@link BatchNormKernels#apply} (a subtraction, then a
 * multiplication): a normalisation then need not store x̂ for its derivative rules, and gets the
 * same values as if it had.
 *
 * <p>Terms are added in order, the normalised one last, each with one fused multiply-add onto the
 * running value (which starts at {@code c0}, or 0 when {@code c0} is null); the Vector API and
 * scalar paths do exactly that, so they are bit-identical, and each element depends only on its
 * own operands, so the result does not depend on the thread count. A null term is skipped (it is
 * zero).
 */
public final class ChannelCombination {
    private ChannelCombination() {}

    /** x̂ = (x − mean[c])·scale[c] over the window of {@code x} from {@code offset}; per-channel arrays from 0. */
    public record Normalized(float[] x, int offset, float[] mean, float[] scale) {
        public static Normalized of(Tensor x, float[] mean, float[] scale) {
            return new Normalized(x.data(), x.offset(), mean, scale);
        }
    }

    /** {@link #combine(int, int, int, float[], float[][], float[][], int[], Normalized, float[], float[], int)} without a normalised term. */
    public static void combine(int outer, int channels, int inner, float[] c0, float[][] coefs, float[][] terms,
                               int[] offsets, float[] out, int outOff) {
        combine(outer, channels, inner, c0, coefs, terms, offsets, null, null, out, outOff);
    }

    /**
     * out = c0 + Σ_k coefs[k] · terms[k] over {@code [outer, channels, inner]} windows starting at
     * {@code offsets[k]}; {@code c0} and null terms may be null. Per-channel arrays are indexed from 0.
     * The output must not overlap a term. With {@code xhat} given, {@code xhatCoefs · x̂} is added last.
     */
    public static void combine(int outer, int channels, int inner, float[] c0, float[][] coefs, float[][] terms,
                               int[] offsets, Normalized xhat, float[] xhatCoefs, float[] out, int outOff) {
        String op = "channelCombination";
        int n = Kernels.volume(op, outer, channels, inner);
        if (coefs.length != terms.length || offsets.length != terms.length) {
            throw new IllegalArgumentException(op + ": " + terms.length + " terms with " + coefs.length + " coefficient vectors and "
                    + offsets.length + " offsets");
        }
        Kernels.window(op, "out", out, outOff, n);
        if (c0 != null) Kernels.vector(op, "constant", c0, channels);
        int live = 0;
        for (int k = 0; k < terms.length; k++) {
            if (terms[k] == null) continue;
            Kernels.window(op, "term " + k, terms[k], offsets[k], n);
            Kernels.vector(op, "coefficients of term " + k, coefs[k], channels);
            live++;
        }
        if (xhat != null) {
            Kernels.window(op, "normalised term", xhat.x(), xhat.offset(), n);
            Kernels.vector(op, "mean of the normalised term", xhat.mean(), channels);
            Kernels.vector(op, "scale of the normalised term", xhat.scale(), channels);
            Kernels.vector(op, "coefficients of the normalised term", xhatCoefs, channels);
        }
        // Compact the non-null terms so the loops below need no null checks.
        float[][] t = new float[live][], a = new float[live][];
        int[] to = new int[live];
        for (int k = 0, j = 0; k < terms.length; k++) {
            if (terms[k] == null) continue;
            t[j] = terms[k];
            a[j] = coefs[k];
            to[j++] = offsets[k];
        }
        boolean simd = Simd.enabled();
        if (inner == 1) {
            Parallel.forRange(outer, Kernels.rowGrain(channels, Kernels.GRAIN_CHEAP), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int at = r * channels;
                    if (simd) ChannelCombinationVector.row(c0, a, t, to, at, out, outOff + at, channels);
                    else row(c0, a, t, to, at, out, outOff + at, channels);
                    if (xhat == null) continue;
                    if (simd) {
                        ChannelCombinationVector.fmaNormalizedRow(xhatCoefs, xhat.x(), xhat.offset() + at, xhat.mean(),
                                xhat.scale(), out, outOff + at, channels);
                    } else {
                        fmaNormalizedRow(xhatCoefs, xhat.x(), xhat.offset() + at, xhat.mean(), xhat.scale(), out, outOff + at, channels);
                    }
                }
            });
            return;
        }
        Parallel.forRange(outer * channels, Kernels.rowGrain(inner, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int s = lo; s < hi; s++) {
                int c = s % channels, at = s * inner;
                // Term by term over the segment: it stays in L1 between passes, and each pass is one plain loop.
                float start = c0 == null ? 0f : c0[c];
                if (t.length == 1 && xhat != null) {
                    // BatchNorm's input adjoint: the same two fused multiply-adds in one pass over the segment.
                    float a0 = a[0][c], b = xhatCoefs[c], m = xhat.mean()[c], sc = xhat.scale()[c];
                    if (simd) {
                        ChannelCombinationVector.termAndNormalizedSegment(start, a0, t[0], to[0] + at, b, xhat.x(), xhat.offset() + at,
                                m, sc, out, outOff + at, inner);
                    } else {
                        termAndNormalizedSegment(start, a0, t[0], to[0] + at, b, xhat.x(), xhat.offset() + at, m, sc, out,
                                outOff + at, inner);
                    }
                    continue;
                }
                if (simd) ChannelCombinationVector.fill(start, out, outOff + at, inner);
                else java.util.Arrays.fill(out, outOff + at, outOff + at + inner, start);
                for (int k = 0; k < t.length; k++) {
                    if (simd) ChannelCombinationVector.fmaSegment(a[k][c], t[k], to[k] + at, out, outOff + at, inner);
                    else fmaSegment(a[k][c], t[k], to[k] + at, out, outOff + at, inner);
                }
                if (xhat == null) continue;
                float b = xhatCoefs[c], m = xhat.mean()[c], sc = xhat.scale()[c];
                if (simd) ChannelCombinationVector.fmaNormalizedSegment(b, xhat.x(), xhat.offset() + at, m, sc, out, outOff + at, inner);
                else fmaNormalizedSegment(b, xhat.x(), xhat.offset() + at, m, sc, out, outOff + at, inner);
            }
        });
    }

    /**
     * c0 + Σ_k coefs[k] · terms[k] as a new tensor of {@code shape} ({@code [N, C, ...]}); null
     * terms are skipped, every other term must have that shape. c0 may be null.
     */
    public static Tensor combine(int[] shape, float[] c0, float[][] coefs, Tensor... terms) {
        return combine(shape, c0, coefs, terms, null, null, null, null);
    }

    /**
     * As {@link #combine(int[], float[], float[][], Tensor...)}, plus {@code xhatCoefs · x̂} with
     * x̂ = (x − mean)·scale when {@code x} is not null (x must have {@code shape}).
     */
    public static Tensor combine(int[] shape, float[] c0, float[][] coefs, Tensor[] terms, Tensor x, float[] mean,
                                 float[] scale, float[] xhatCoefs) {
        Tensor out = Tensor.uninitialized(shape);
        int[] l = Kernels.channelExtent("channelCombination", out);
        float[][] arrays = new float[terms.length][];
        int[] offsets = new int[terms.length];
        for (int k = 0; k < terms.length; k++) {
            if (terms[k] == null) continue;
            if (!terms[k].hasShape(shape)) {
                throw new IllegalArgumentException("channelCombination: term " + k + " has shape " + Shapes.str(terms[k].shape())
                        + ", expected " + Shapes.str(shape));
            }
            arrays[k] = terms[k].data();
            offsets[k] = terms[k].offset();
        }
        Normalized xhat = null;
        if (x != null) {
            if (!x.hasShape(shape)) {
                throw new IllegalArgumentException("channelCombination: normalised term has shape " + Shapes.str(x.shape())
                        + ", expected " + Shapes.str(shape));
            }
            xhat = Normalized.of(x, mean, scale);
        }
        combine(l[0], l[1], l[2], c0, coefs, arrays, offsets, xhat, xhatCoefs, out.data(), 0);
        return out;
    }

    /**
     * {@code t = c0 + a · t + b · x̂} in place over {@code t} ({@code [N, C, ...]}), x̂ = (x − mean[c])·scale[c]:
     * BatchNorm's train-mode input adjoint written over a donated output adjoint. Safe in place because
     * with one term and a normalised one both layouts compute each element from its own operands in one
     * step (a fused segment, or a row followed by the normalised row); the general combination, which
     * fills the output before adding terms, is not. Same bits as {@link #combine} into a new tensor.
     */
    public static void termAndNormalizedInPlace(float[] c0, float[] a, Tensor t, Tensor x, float[] mean, float[] scale,
                                                float[] b) {
        if (!x.sameShape(t)) {
            throw new IllegalArgumentException("channelCombination: normalised term has shape " + Shapes.str(x.shape())
                    + ", expected " + Shapes.str(t.shape()));
        }
        int[] l = Kernels.channelExtent("channelCombination", t);
        combine(l[0], l[1], l[2], c0, new float[][] {a}, new float[][] {t.data()}, new int[] {t.offset()},
                Normalized.of(x, mean, scale), b, t.data(), t.offset());
    }

    // ---- scalar twins ----

    static void fmaSegment(float a, float[] t, int to, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.fma(a, t[to + i], out[oo + i]);
    }

    static void fmaNormalizedSegment(float b, float[] x, int xo, float m, float sc, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.fma(b, (x[xo + i] - m) * sc, out[oo + i]);
    }

    /** out = fma(b, (x − m)·sc, fma(a, t, start)): one term and the normalised one, as the general loops compute them. */
    static void termAndNormalizedSegment(float start, float a, float[] t, int to, float b, float[] x, int xo, float m, float sc,
                                         float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.fma(b, (x[xo + i] - m) * sc, Math.fma(a, t[to + i], start));
    }

    static void fmaNormalizedRow(float[] b, float[] x, int xo, float[] m, float[] sc, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.fma(b[i], (x[xo + i] - m[i]) * sc[i], out[oo + i]);
    }

    /** One row of the inner = 1 layout: coefficients vary along the row. */
    static void row(float[] c0, float[][] a, float[][] t, int[] to, int at, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            float v = c0 == null ? 0f : c0[i];
            for (int k = 0; k < t.length; k++) v = Math.fma(a[k][i], t[k][to[k] + at + i], v);
            out[oo + i] = v;
        }
    }
}
