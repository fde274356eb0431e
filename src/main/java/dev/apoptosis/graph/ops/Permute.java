package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Reorders the sample axes (the batch axis stays first): output axis i is input axis perm[i], as
 * {@code x.permute(0, 1 + perm[0], 1 + perm[1], ...)} in PyTorch. Splitting attention heads is
 * Reshape [T, D] → [T, H, d] followed by Permute(1, 0, 2) → [H, T, d]; merging is the reverse.
 * {@link #transpose} builds the swap of two axes.
 *
 * <p>A permutation P is linear and orthogonal, so every rule moves values without arithmetic:
 * forward y = P x; backward g_x = Pᵀ g_y; tangent ẏ = P ẋ; rBackward ġ_x = Pᵀ ġ_y (no second-order
 * term in any curvature mode).
 */
public final class Permute extends Op {
    private final int[] perm;

    public Permute(int... perm) {
        boolean[] seen = new boolean[perm.length];
        for (int p : perm) {
            if (p < 0 || p >= perm.length || seen[p]) {
                throw new IllegalArgumentException("Permute: " + Arrays.toString(perm) + " is not a permutation of 0.." + (perm.length - 1));
            }
            seen[p] = true;
        }
        this.perm = perm.clone();
    }

    /** Swaps sample axes i and j of a rank-{@code rank} sample. */
    public static Permute transpose(int rank, int i, int j) {
        if (i < 0 || j < 0 || i >= rank || j >= rank) {
            throw new IllegalArgumentException("Permute.transpose: axes " + i + ", " + j + " out of range for rank " + rank);
        }
        int[] p = new int[rank];
        for (int k = 0; k < rank; k++) p[k] = k;
        p[i] = j;
        p[j] = i;
        return new Permute(p);
    }

    static Permute fromAttrs(Attrs a) {
        return new Permute(a.getInts("perm"));
    }

    public int[] perm() {
        return perm.clone();
    }

    @Override public String kind() { return "Permute"; }
    @Override public Attrs attrs() { return Attrs.builder().put("perm", perm).build(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.INDEX_REMAPPING, OpProperty.PIECEWISE_LINEAR);
    }
    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length != perm.length) {
            throw new IllegalArgumentException("Permute" + Arrays.toString(perm) + ": input " + Arrays.toString(in[0])
                    + " has rank " + in[0].length + ", permutation has " + perm.length);
        }
        int[] s = new int[perm.length];
        for (int i = 0; i < perm.length; i++) s[i] = in[0][perm[i]];
        return s;
    }



    /**
     * Copies x [N, s...] to a new tensor whose sample axes are reordered by {@code p} (output axis i =
     * input axis p[i]). Each sample is independent, so samples are split across threads.
     */
    static Tensor apply(Tensor x, int[] p) {
        int r = p.length;
        int[] xs = x.shape();
        int[] sample = Arrays.copyOfRange(xs, 1, xs.length);
        int[] inStride = new int[r];
        for (int i = r - 1, s = 1; i >= 0; i--) {
            inStride[i] = s;
            s *= sample[i];
        }
        int[] outDims = new int[r], stride = new int[r];
        for (int i = 0; i < r; i++) {
            outDims[i] = sample[p[i]];
            stride[i] = inStride[p[i]];
        }
        int[] ys = new int[r + 1];
        ys[0] = xs[0];
        System.arraycopy(outDims, 0, ys, 1, r);
        Tensor y = Tensor.zeros(ys);
        int per = x.size() / Math.max(1, xs[0]);
        float[] src = x.data(), dst = y.data();
        int xo = x.offset();
        Parallel.forRange(xs[0], (lo, hi) -> {
            int[] idx = new int[r];
            for (int b = lo; b < hi; b++) {
                Arrays.fill(idx, 0);
                int in = xo + b * per;
                int outBase = b * per;
                for (int o = 0; o < per; o++) {
                    dst[outBase + o] = src[in];
                    // odometer over output indices; keep the input position in step
                    for (int ax = r - 1; ax >= 0; ax--) {
                        in += stride[ax];
                        if (++idx[ax] < outDims[ax]) break;
                        in -= stride[ax] * outDims[ax];
                        idx[ax] = 0;
                    }
                }
            }
        });
        return y;
    }

    private int[] inverse() {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return inv;
    }

    @Override
    public Tensor forward(Frame f) {
        return apply(f.inputs[0], perm);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, apply(gy, inverse()));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : apply(xDot[0], perm);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, apply(gyDot, inverse()));
    }
}
