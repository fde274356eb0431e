package dev.apoptosis.graph.ops;

import dev.apoptosis.autodiff.Adjoints;
import dev.apoptosis.autodiff.Curvature;
import dev.apoptosis.autodiff.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Layer normalisation over the last axis (width D) with a learned scale γ ("weight", ones) and
 * shift β ("bias", zeros), as PyTorch's {@code nn.LayerNorm(D, eps)}. Every row x is normalised
 * with its own statistics, in every mode (there are no running statistics):
 * μ = m(x), σ² = m((x − μ)²), r = 1/√(σ² + ε), x̂ = (x − μ)·r, y = γ ⊙ x̂ + β,
 * where m(·) is the mean over the row.
 *
 * <p>The normalisation x ↦ x̂ has the symmetric Jacobian N = r·(I − 11ᵀ/D − x̂x̂ᵀ/D), so
 * N·t = r·(t − m(t) − x̂·m(x̂ ⊙ t)) serves both the forward and the reverse direction.
 * Rules (per row; Σ is over all rows of the batch):
 * <ul>
 * <li>forward: y = γ ⊙ x̂ + β</li>
 * <li>backward: g_x = N(γ ⊙ g_y); g_γ = Σ g_y ⊙ x̂; g_β = Σ g_y</li>
 * <li>tangent: ẏ = γ ⊙ N ẋ + γ̇ ⊙ x̂ + β̇</li>
 * <li>rBackward: ġ_x = N(γ ⊙ ġ_y [+ γ̇ ⊙ g_y]) [+ Ṅ(γ ⊙ g_y)]; ġ_γ = Σ ġ_y ⊙ x̂ [+ Σ g_y ⊙ N ẋ];
 *     ġ_β = Σ ġ_y.</li>
 * </ul>
 * Every bracketed term is included iff {@link Curvature#nonlinear()}. Two kinds are there: the
 * normalisation's own curvature Ṅh, and the cross terms of the product γ ⊙ x̂ (the γ̇ term of ġ_x and
 * the Σ g_y ⊙ N ẋ term of ġ_γ). The latter are bilinear in form, but γ is not a
 * {@link OpProperty#PARAMETER_LAYER} weight: counting them as nonlinear keeps {@link Curvature#OBA}
 * to the Conv/Linear and activation-product terms, the same convention as BatchNorm2d.
 * With h = γ ⊙ g_y, x̂̇ = N ẋ and a = m(x̂ ⊙ ẋ) (so ṙ = −r·a),
 * Ṅh = −r·a·(N h) − r·(x̂̇·m(h ⊙ x̂) + x̂·m(h ⊙ x̂̇)).
 *
 * <p>Channels: output channel c is input channel c normalised, so channels stay aligned (γ and β are
 * indexed by them), but the statistics couple all channels: declared {@link OpProperty#NORMALIZATION},
 * not CHANNEL_PRESERVING. γ and β are trainable but not a PARAMETER_LAYER (OBA does not perturb them).
 */
public final class LayerNorm extends Op {
    /** PyTorch's default; ViT uses 1e-6. */
    public static final double DEFAULT_EPS = 1e-5;
    private static final int ROW_GRAIN_ELEMENTS = 4096;
    private final double eps;

    public LayerNorm(double eps) {
        if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("LayerNorm: eps must be positive and finite, got " + eps);
        this.eps = eps;
    }

    public LayerNorm() {
        this(DEFAULT_EPS);
    }

    static LayerNorm fromAttrs(Attrs a) {
        return new LayerNorm(a.getDouble("eps", DEFAULT_EPS));
    }

    public double eps() {
        return eps;
    }

    @Override public String kind() { return "LayerNorm"; }
    @Override public Attrs attrs() { return Attrs.builder().put("eps", eps).build(); }
    @Override public Set<OpProperty> properties() { return Set.of(OpProperty.NORMALIZATION); }
    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length < 1) throw new IllegalArgumentException("LayerNorm: input must have at least one axis, got " + Arrays.toString(in[0]));
        return in[0].clone();
    }

    @Override
    public List<ParamSpec> params(int[][] in) {
        int d = in[0][in[0].length - 1];
        return List.of(ParamSpec.weight("weight", new int[] {d}, Init.ONES, 0, -1),
                ParamSpec.weight("bias", new int[] {d}, Init.ZEROS, 0, -1));
    }

    /** Per sample: the subtract-multiply of the normalisation and the scale, about 2 multiply-adds per element. */
    @Override
    public long macs(int[][] in, int[] outShape) {
        long n = 1;
        for (int d : in[0]) n *= d;
        return 2 * n;
    }

    @Override public int inputChannelAxis(int i, int[][] in) { return in[0].length - 1; }
    @Override public int outputChannelAxis(int[][] in) { return in[0].length - 1; }

    /** Per-row statistics kept by the forward. */
    private record Stats(double[] mean, double[] rstd) {}

    private static int grain(int d) {
        return Math.max(1, ROW_GRAIN_ELEMENTS / d);
    }

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.inputs[0], gamma = f.params[0], beta = f.params[1];
        int d = x.dim(-1), rows = x.size() / d;
        double[] mean = new double[rows], rstd = new double[rows];
        Tensor y = Tensor.zeros(x.shape());
        float[] xs = x.data(), ys = y.data(), gs = gamma.data(), bs = beta.data();
        int xo = x.offset(), go = gamma.offset(), bo = beta.offset();
        Parallel.forRange(rows, grain(d), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int xr = xo + r * d, yr = r * d;
                double s = 0;
                for (int j = 0; j < d; j++) s += xs[xr + j];
                double mu = s / d, ss = 0;
                for (int j = 0; j < d; j++) {
                    double c = xs[xr + j] - mu;
                    ss += c * c;
                }
                double rs = 1.0 / Math.sqrt(ss / d + eps);
                mean[r] = mu;
                rstd[r] = rs;
                for (int j = 0; j < d; j++) ys[yr + j] = (float) (gs[go + j] * ((xs[xr + j] - mu) * rs) + bs[bo + j]);
            }
        });
        f.saved = new Stats(mean, rstd);
        return y;
    }

    /** x̂ recomputed from x and the kept statistics (cheaper to recompute than to keep). */
    private static Tensor normalized(Frame f) {
        Stats st = (Stats) f.saved;
        Tensor x = f.inputs[0];
        int d = x.dim(-1), rows = x.size() / d;
        Tensor xh = Tensor.zeros(x.shape());
        float[] xs = x.data(), hs = xh.data();
        int xo = x.offset();
        Parallel.forRange(rows, grain(d), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                double mu = st.mean[r], rs = st.rstd[r];
                for (int j = 0; j < d; j++) hs[r * d + j] = (float) ((xs[xo + r * d + j] - mu) * rs);
            }
        });
        return xh;
    }

    /** N·t = r·(t − m(t) − x̂·m(x̂ ⊙ t)) row by row. */
    private static Tensor project(Tensor xh, double[] rstd, Tensor t) {
        int d = xh.dim(-1), rows = xh.size() / d;
        Tensor out = Tensor.zeros(xh.shape());
        float[] hs = xh.data(), ts = t.data(), os = out.data();
        int to = t.offset();
        Parallel.forRange(rows, grain(d), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int hr = r * d, tr = to + r * d;
                double mt = 0, mxt = 0;
                for (int j = 0; j < d; j++) {
                    mt += ts[tr + j];
                    mxt += (double) hs[hr + j] * ts[tr + j];
                }
                mt /= d;
                mxt /= d;
                double rs = rstd[r];
                for (int j = 0; j < d; j++) os[hr + j] = (float) (rs * (ts[tr + j] - mt - hs[hr + j] * mxt));
            }
        });
        return out;
    }

    /** Ṅh with h = γ ⊙ g_y: the derivative of N·h along ẋ, h held fixed (formula in the class Javadoc). */
    private static Tensor curvatureTerm(Tensor xh, double[] rstd, Tensor h, Tensor xDot) {
        int d = xh.dim(-1), rows = xh.size() / d;
        Tensor out = Tensor.zeros(xh.shape());
        float[] hs = xh.data(), gs = h.data(), xd = xDot.data(), os = out.data();
        int ho = h.offset(), xdo = xDot.offset();
        Parallel.forRange(rows, grain(d), (lo, hi) -> {
            double[] xhDot = new double[d];
            for (int r = lo; r < hi; r++) {
                int hr = r * d;
                double rs = rstd[r];
                double mx = 0, a = 0, mh = 0, mhx = 0;
                for (int j = 0; j < d; j++) {
                    double xj = hs[hr + j], tj = xd[xdo + hr + j], gj = gs[ho + hr + j];
                    mx += tj;
                    a += xj * tj;
                    mh += gj;
                    mhx += gj * xj;
                }
                mx /= d;
                a /= d;
                mh /= d;
                mhx /= d;
                double mhxDot = 0;
                for (int j = 0; j < d; j++) {
                    xhDot[j] = rs * (xd[xdo + hr + j] - mx - hs[hr + j] * a);
                    mhxDot += gs[ho + hr + j] * xhDot[j];
                }
                mhxDot /= d;
                for (int j = 0; j < d; j++) {
                    double xj = hs[hr + j];
                    double nh = rs * (gs[ho + hr + j] - mh - xj * mhx);
                    os[hr + j] = (float) (-rs * a * nh - rs * (xhDot[j] * mhx + xj * mhxDot));
                }
            }
        });
        return out;
    }

    /** t ⊙ γ broadcast over rows, plus (when u != null) u ⊙ γ̇; a new tensor. */
    private static Tensor scaleRows(Tensor t, Tensor gamma, Tensor u, Tensor gammaDot) {
        int d = gamma.size(), n = (t != null ? t : u).size();
        Tensor out = Tensor.zeros((t != null ? t : u).shape());
        float[] os = out.data(), gs = gamma.data();
        int go = gamma.offset();
        if (t != null) {
            float[] ts = t.data();
            int to = t.offset();
            for (int i = 0; i < n; i++) os[i] = ts[to + i] * gs[go + i % d];
        }
        if (u != null) {
            float[] us = u.data(), ds = gammaDot.data();
            int uo = u.offset(), dof = gammaDot.offset();
            for (int i = 0; i < n; i++) os[i] += us[uo + i] * ds[dof + i % d];
        }
        return out;
    }

    /** Σ over rows of a ⊙ b (b may be null: Σ a), per column, in double; columns are independent. */
    private static Tensor columnSums(Tensor a, Tensor b, int d) {
        int rows = a.size() / d;
        Tensor out = Tensor.zeros(d);
        float[] as = a.data(), bs = b == null ? null : b.data(), os = out.data();
        int ao = a.offset(), bo = b == null ? 0 : b.offset();
        Parallel.forRange(d, 64, (lo, hi) -> {
            double[] acc = new double[hi - lo];
            for (int r = 0; r < rows; r++) {
                int base = r * d;
                for (int j = lo; j < hi; j++) {
                    double v = as[ao + base + j];
                    acc[j - lo] += bs == null ? v : v * bs[bo + base + j];
                }
            }
            for (int j = lo; j < hi; j++) os[j] = (float) acc[j - lo];
        });
        return out;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        Stats st = (Stats) f.saved;
        Tensor xh = normalized(f);
        int d = xh.dim(-1);
        if (out.wantsInput(0)) out.input(0, project(xh, st.rstd, scaleRows(gy, f.params[0], null, null)));
        if (out.wantsParam(0)) {
            out.param(0, columnSums(gy, xh, d));
            out.param(1, columnSums(gy, null, d));
        }
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        Tensor gammaDot = pDot[0], betaDot = pDot[1];
        if (xDot[0] == null && gammaDot == null && betaDot == null) return null;
        Stats st = (Stats) f.saved;
        Tensor xh = normalized(f);
        Tensor xhDot = xDot[0] == null ? null : project(xh, st.rstd, xDot[0]);
        Tensor y = xhDot != null || gammaDot != null
                ? scaleRows(xhDot, f.params[0], gammaDot == null ? null : xh, gammaDot)
                : Tensor.zeros(xh.shape());
        if (betaDot != null) {
            float[] ys = y.data(), bs = betaDot.data();
            int d = xh.dim(-1), bo = betaDot.offset();
            for (int i = 0, n = ys.length; i < n; i++) ys[i] += bs[bo + i % d];
        }
        return y;
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        Stats st = (Stats) f.saved;
        Tensor gamma = f.params[0], gammaDot = pDot[0];
        boolean mixedX = c.nonlinear() && gammaDot != null;
        boolean mixedGamma = c.nonlinear() && xDot[0] != null;
        boolean own = c.nonlinear() && xDot[0] != null;
        if (gyDot == null && !mixedX && !mixedGamma && !own) return;
        Tensor xh = normalized(f);
        int d = xh.dim(-1);
        if (out.wantsInput(0)) {
            if (gyDot != null || mixedX) {
                Tensor h = scaleRows(gyDot, gamma, mixedX ? gy : null, gammaDot);
                out.input(0, project(xh, st.rstd, h));
            }
            if (own) out.input(0, curvatureTerm(xh, st.rstd, scaleRows(gy, gamma, null, null), xDot[0]));
        }
        if (out.wantsParam(0)) {
            if (gyDot != null) {
                out.param(0, columnSums(gyDot, xh, d));
                out.param(1, columnSums(gyDot, null, d));
            }
            if (mixedGamma) out.param(0, columnSums(gy, project(xh, st.rstd, xDot[0]), d));
        }
    }
}
