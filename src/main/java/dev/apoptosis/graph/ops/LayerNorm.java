package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import dev.apoptosis.tensor.norm.LayerNormKernels;
import dev.apoptosis.tensor.norm.Norms;
import dev.apoptosis.tensor.reduce.Reductions;
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
 * indexed by them), but the statistics couple all channels: declared {@link OpProperty#NORMALIZATION};
 * pruning's LastAxisNormalized rule marks its groups as not exact. γ and β are trainable but not a PARAMETER_LAYER (OBA does not perturb them).
 *
 * <p>Kernels: {@link LayerNormKernels} (statistics, x̂ and y, the projection N), {@link Reductions}
 * (column sums); only Ṅh is a loop of its own here. The forward keeps x̂ and r.
 */
public final class LayerNorm extends Op {
    /** PyTorch's default; ViT uses 1e-6. */
    public static final double DEFAULT_EPS = 1e-5;
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


    /** What the forward keeps: x̂ and 1/√(σ² + ε) per row (the rules need nothing else of x). */
    private record Saved(Tensor xhat, Tensor invStd) {}

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.inputs[0];
        Norms.Stats st = LayerNormKernels.stats(x, (float) eps);
        Norms.Output o = LayerNormKernels.apply(x, st.mean(), st.invStd(), f.params[0], f.params[1]);
        f.saved = new Saved(o.xhat(), st.invStd());
        return o.y();
    }

    /** N(w ⊙ v) = r·(w⊙v − m(w⊙v) − x̂·m(w⊙v⊙x̂)) row by row; w = null means 1. */
    private static Tensor project(Saved s, Tensor v, Tensor w) {
        return LayerNormKernels.project(v, s.xhat, s.invStd, w);
    }

    /** Σ over rows of a ⊙ b per column ([C]), in double. */
    private static Tensor columnSumsOfProduct(Tensor a, Tensor b) {
        int c = a.dim(-1);
        double[] acc = new double[c];
        Reductions.sumProductPerChannel(a.data(), a.offset(), b.data(), b.offset(), a.size() / c, c, 1, acc);
        return Reductions.toTensor(acc);
    }

    /**
     * Ṅh with h = γ ⊙ g_y: the derivative of N·h along ẋ, h held fixed (formula in the class Javadoc).
     * Rows are independent; row sums in double.
     */
    private static Tensor curvatureTerm(Saved s, Tensor h, Tensor xDot) {
        Tensor xh = s.xhat;
        int d = xh.dim(-1), rows = xh.size() / d;
        Tensor out = Tensor.zeros(xh.shape());
        float[] hs = xh.data(), gs = h.data(), xd = xDot.data(), os = out.data(), inv = s.invStd.data();
        int xho = xh.offset(), ho = h.offset(), xdo = xDot.offset(), io = s.invStd.offset();
        Parallel.forRange(rows, Math.max(1, 4096 / d), (lo, hi) -> {
            double[] xhDot = new double[d];
            for (int r = lo; r < hi; r++) {
                int row = r * d, xr = xho + row, gr = ho + row, tr = xdo + row;
                double rs = inv[io + r];
                double mx = 0, a = 0, mh = 0, mhx = 0;
                for (int j = 0; j < d; j++) {
                    double xj = hs[xr + j], tj = xd[tr + j], gj = gs[gr + j];
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
                    xhDot[j] = rs * (xd[tr + j] - mx - hs[xr + j] * a);
                    mhxDot += gs[gr + j] * xhDot[j];
                }
                mhxDot /= d;
                for (int j = 0; j < d; j++) {
                    double xj = hs[xr + j];
                    double nh = rs * (gs[gr + j] - mh - xj * mhx);
                    os[row + j] = (float) (-rs * a * nh - rs * (xhDot[j] * mhx + xj * mhxDot));
                }
            }
        });
        return out;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        Saved s = (Saved) f.saved;
        if (out.wantsInput(0)) out.input(0, project(s, gy, f.params[0]));
        if (out.wantsParam(0)) {
            out.param(0, columnSumsOfProduct(gy, s.xhat));
            out.param(1, Reductions.columnSums(gy));
        }
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        Tensor gammaDot = pDot[0], betaDot = pDot[1];
        if (xDot[0] == null && gammaDot == null && betaDot == null) return null;
        Saved s = (Saved) f.saved;
        Tensor y = null;
        if (xDot[0] != null) y = Elementwise.mulRowVector(project(s, xDot[0], null), f.params[0]);
        if (gammaDot != null) {
            Tensor t = Elementwise.mulRowVector(s.xhat, gammaDot);
            y = y == null ? t : Elementwise.addInPlace(t, y);
        }
        if (betaDot != null) y = Elementwise.addRowVector(y != null ? y : Tensor.zeros(s.xhat.shape()), betaDot);
        return y;
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        Saved s = (Saved) f.saved;
        Tensor gamma = f.params[0], gammaDot = pDot[0];
        boolean mixedX = c.nonlinear() && gammaDot != null;
        boolean mixedGamma = c.nonlinear() && xDot[0] != null;
        boolean own = c.nonlinear() && xDot[0] != null;
        if (out.wantsInput(0)) {
            if (gyDot != null) out.input(0, project(s, gyDot, gamma));
            if (mixedX) out.input(0, project(s, gy, gammaDot));
            if (own) out.input(0, curvatureTerm(s, Elementwise.mulRowVector(gy, gamma), xDot[0]));
        }
        if (out.wantsParam(0)) {
            if (gyDot != null) {
                out.param(0, columnSumsOfProduct(gyDot, s.xhat));
                out.param(1, Reductions.columnSums(gyDot));
            }
            if (mixedGamma) out.param(0, columnSumsOfProduct(gy, project(s, xDot[0], null)));
        }
    }
}
