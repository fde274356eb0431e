package dev.apoptosis.graph.ops;

import dev.apoptosis.autodiff.Adjoints;
import dev.apoptosis.autodiff.Curvature;
import dev.apoptosis.autodiff.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Softmax over the last axis: each row x (length n) maps to s = e^{x − max x} / Σ e^{x − max x}.
 * Attention applies it to the scores [H, T, T] row by row. ⟨a, b⟩ below is the sum over the row.
 *
 * <p>Rules (per row; J = diag(s) − s sᵀ is symmetric):
 * <ul>
 * <li>forward: s = softmax(x)</li>
 * <li>backward: g_x = s ⊙ (g_y − ⟨s, g_y⟩)</li>
 * <li>tangent: ṡ = s ⊙ (ẋ − ⟨s, ẋ⟩)</li>
 * <li>rBackward: ġ_x = s ⊙ (ġ_y − ⟨s, ġ_y⟩) [+ ṡ ⊙ (g_y − ⟨s, g_y⟩) − s ⊙ ⟨ṡ, g_y⟩]; the bracket is the
 *     derivative of the backward rule along ẋ with g_y held fixed (softmax's own curvature),
 *     included iff {@link Curvature#nonlinear()}.</li>
 * </ul>
 * Row sums are accumulated in double; rows are independent, so they are split across threads.
 */
public final class Softmax extends Op {
    @Override public String kind() { return "Softmax"; }
    @Override public Attrs attrs() { return Attrs.empty(); }
    /** No channel property: the row couples all positions of the last axis (keys in attention). */
    @Override public Set<OpProperty> properties() { return Set.of(); }
    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length < 1) throw new IllegalArgumentException("Softmax: input must have at least one axis, got " + Arrays.toString(in[0]));
        return in[0].clone();
    }

    private static int width(Tensor t) {
        return t.dim(-1);
    }

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.inputs[0];
        Tensor y = Tensor.zeros(x.shape());
        int n = width(x), rows = x.size() / n;
        float[] xs = x.data(), ys = y.data();
        int xo = x.offset();
        Parallel.forRange(rows, Math.max(1, 4096 / n), (lo, hi) -> {
            double[] e = new double[n];
            for (int r = lo; r < hi; r++) {
                int xr = xo + r * n, yr = r * n;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, xs[xr + j]);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    e[j] = Math.exp(xs[xr + j] - max);
                    sum += e[j];
                }
                double inv = 1.0 / sum;
                for (int j = 0; j < n; j++) ys[yr + j] = (float) (e[j] * inv);
            }
        });
        return y;
    }

    /** s ⊙ (t − ⟨s, t⟩) row by row: the Jacobian (symmetric) applied to t. */
    private static Tensor jacobianTimes(Tensor s, Tensor t) {
        Tensor r = Tensor.zeros(s.shape());
        int n = width(s), rows = s.size() / n;
        float[] ss = s.data(), ts = t.data(), rs = r.data();
        int so = s.offset(), to = t.offset();
        Parallel.forRange(rows, Math.max(1, 4096 / n), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int sr = so + row * n, tr = to + row * n, rr = row * n;
                double dot = 0;
                for (int j = 0; j < n; j++) dot += (double) ss[sr + j] * ts[tr + j];
                for (int j = 0; j < n; j++) rs[rr + j] = (float) (ss[sr + j] * (ts[tr + j] - dot));
            }
        });
        return r;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, jacobianTimes(f.output, gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : jacobianTimes(f.output, xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (!out.wantsInput(0)) return;
        if (gyDot != null) out.input(0, jacobianTimes(f.output, gyDot));
        if (c.nonlinear() && xDot[0] != null) out.input(0, curvatureTerm(f.output, jacobianTimes(f.output, xDot[0]), gy));
    }

    /** ṡ ⊙ (g − ⟨s, g⟩) − s ⊙ ⟨ṡ, g⟩ row by row. */
    private static Tensor curvatureTerm(Tensor s, Tensor sDot, Tensor g) {
        Tensor r = Tensor.zeros(s.shape());
        int n = width(s), rows = s.size() / n;
        float[] ss = s.data(), ds = sDot.data(), gs = g.data(), rs = r.data();
        int so = s.offset(), go = g.offset();
        Parallel.forRange(rows, Math.max(1, 4096 / n), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int sr = so + row * n, dr = row * n, gr = go + row * n;
                double sg = 0, dg = 0;
                for (int j = 0; j < n; j++) {
                    sg += (double) ss[sr + j] * gs[gr + j];
                    dg += (double) ds[dr + j] * gs[gr + j];
                }
                for (int j = 0; j < n; j++) rs[dr + j] = (float) (ds[dr + j] * (gs[gr + j] - sg) - ss[sr + j] * dg);
            }
        });
        return r;
    }
}
