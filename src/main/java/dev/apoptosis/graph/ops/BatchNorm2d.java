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
 * Batch normalisation of an image sample [C, H, W], per channel, with PyTorch's semantics
 * ({@code nn.BatchNorm2d(C, eps, momentum)}): y = γ x̂ + β with trainable γ ("weight", ones) and β
 * ("bias", zeros), and buffers "running_mean" (zeros) and "running_var" (ones).
 *
 * <h2>Modes</h2>
 * <ul>
 * <li>{@code TRAIN} and {@code BATCH_STATS}: per channel, over the M = N·H·W values of the batch,
 *     μ = ⟨x⟩, σ² = ⟨(x − μ)²⟩ (biased), s = 1/√(σ² + ε), x̂ = (x − μ)·s. Only {@code TRAIN} then
 *     updates the buffers: running_mean ← (1 − m)·running_mean + m·μ and
 *     running_var ← (1 − m)·running_var + m·σ²·M/(M − 1) (the <em>unbiased</em> variance, as PyTorch).
 *     M = 1 is an error, as in PyTorch.</li>
 * <li>{@code EVAL}: x̂ = (x − running_mean)·r with r = 1/√(running_var + ε): an affine map of x.</li>
 * </ul>
 *
 * <h2>Rules with batch statistics</h2> (⟨·⟩ is the mean over the M values of a channel;
 * P(u) = u − ⟨u⟩ − x̂⟨u x̂⟩ projects out what normalisation removes)
 * <ul>
 * <li>backward: g_x = s·P(γ g); g_γ = Σ g x̂; g_β = Σ g.</li>
 * <li>tangent: ẋ̂ = s·P(ẋ); ẏ = γ ẋ̂ + γ̇ x̂ + β̇.</li>
 * <li>rBackward: with ṡ = −s²⟨x̂ ẋ⟩ (the derivative of s along ẋ),
 *   <br>ġ_x = s·P(γ ġ) [+ s·P(γ̇ g) + ṡ·P(γ g) − s·ẋ̂⟨γ g x̂⟩ − s·x̂⟨γ g ẋ̂⟩],
 *   <br>ġ_γ = Σ ġ x̂ [+ Σ g ẋ̂], ġ_β = Σ ġ.</li>
 * </ul>
 *
 * <h2>Rules with running statistics</h2>
 * <ul>
 * <li>backward: g_x = γ r g; g_γ = Σ g x̂; g_β = Σ g.</li>
 * <li>tangent: ẏ = γ r ẋ + γ̇ x̂ + β̇.</li>
 * <li>rBackward: ġ_x = γ r ġ [+ γ̇ r g]; ġ_γ = Σ ġ x̂ [+ Σ g r ẋ]; ġ_β = Σ ġ.</li>
 * </ul>
 *
 * <h2>Which curvature flag covers the bracketed terms</h2>
 * Every bracketed term is included iff {@link Curvature#nonlinear()}. Two kinds of terms are there:
 * the dependence of the batch statistics on x (a true second derivative in the activation: the
 * ṡ, ẋ̂ and x̂⟨g ẋ̂⟩ terms), and the cross terms of the product γ·x̂ between a parameter and an
 * activation (the γ̇ term of ġ_x and the Σ g ẋ̂ term of ġ_γ). The latter are bilinear in form, but
 * BatchNorm is not a {@link OpProperty#PARAMETER_LAYER}: OBA neither perturbs nor scores γ and β, and
 * its series-connectivity terms are built from Conv/Linear products only. Counting the γ·x̂ cross
 * terms as {@code nonlinear} keeps {@link Curvature#OBA} equal to those terms (the reference's
 * upward + downward terms) in every mode, and keeps {@code OBA + GAUSS_NEWTON = EXACT} on the
 * Conv/Linear blocks of piecewise-linear (eval-mode) networks for OBA's direction (which is zero on
 * γ and β). On the γ blocks themselves EXACT then exceeds OBA + GAUSS_NEWTON by Σ g r ẋ.
 *
 * <p>Properties: NORMALIZATION, BATCH_COUPLED, CHANNEL_PRESERVING; not PIECEWISE_LINEAR (properties do
 * not depend on the mode, and with batch statistics the op is not), though with running statistics
 * it is affine. Not a PARAMETER_LAYER, so {@code ParamVector.obaDirection} leaves γ and β at zero.
 *
 * <p>Sums and statistics are accumulated in double, channel by channel (parallel over channels
 * only), so results do not depend on the thread count.
 */
public final class BatchNorm2d extends Op {
    private final double eps;
    private final double momentum;

    public BatchNorm2d(double eps, double momentum) {
        if (!(eps > 0)) throw new IllegalArgumentException("BatchNorm2d: eps must be positive, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("BatchNorm2d: momentum must be in [0, 1], got " + momentum);
        this.eps = eps;
        this.momentum = momentum;
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm2d() {
        this(1e-5, 0.1);
    }

    static BatchNorm2d fromAttrs(Attrs a) {
        return new BatchNorm2d(a.getDouble("eps", 1e-5), a.getDouble("momentum", 0.1));
    }

    public double eps() {
        return eps;
    }

    public double momentum() {
        return momentum;
    }

    @Override public String kind() { return "BatchNorm2d"; }
    @Override public Attrs attrs() { return Attrs.builder().put("eps", eps).put("momentum", momentum).build(); }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.NORMALIZATION, OpProperty.BATCH_COUPLED, OpProperty.CHANNEL_PRESERVING);
    }

    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length != 3) {
            throw new IllegalArgumentException("BatchNorm2d: input must be an image [C, H, W], got " + Arrays.toString(in[0]));
        }
        return in[0].clone();
    }

    @Override
    public List<ParamSpec> params(int[][] in) {
        int[] c = {in[0][0]};
        return List.of(ParamSpec.weight("weight", c, Init.ONES, 0, -1), ParamSpec.weight("bias", c, Init.ZEROS, 0, -1),
                ParamSpec.buffer("running_mean", c, Init.ZEROS, 0), ParamSpec.buffer("running_var", c, Init.ONES, 0));
    }

    /** One multiply-add per element (the affine y = a·x + b that eval mode folds to). */
    @Override
    public long macs(int[][] in, int[] outShape) {
        return (long) in[0][0] * in[0][1] * in[0][2];
    }

    @Override public int inputChannelAxis(int i, int[][] in) { return 0; }
    @Override public int outputChannelAxis(int[][] in) { return 0; }

    /** What forward keeps: x̂, and per channel the scale s (batch) or r (running) that maps x to x̂. */
    private record Saved(Tensor xHat, double[] scale, boolean batchStats) {}

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.inputs[0];
        int n = x.dim(0), c = x.dim(1), plane = x.dim(2) * x.dim(3);
        long m = (long) n * plane;
        boolean batch = f.mode.usesBatchStatistics();
        if (batch && m < 2) {
            throw new IllegalArgumentException("BatchNorm2d '" + f.name() + "': batch statistics need more than one value per channel, input "
                    + Arrays.toString(x.shape()));
        }
        Tensor xHat = Tensor.zeros(x.shape()), y = Tensor.zeros(x.shape());
        double[] scale = new double[c], mean = new double[c], var = new double[c];
        float[] xd = x.data(), hd = xHat.data(), yd = y.data();
        int xo = x.offset();
        Tensor gamma = f.params[0], beta = f.params[1], runMean = f.buffers[0], runVar = f.buffers[1];
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double mu, s;
                if (batch) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        int base = xo + (i * c + ch) * plane;
                        for (int q = 0; q < plane; q++) sum += xd[base + q];
                    }
                    mu = sum / m;
                    double sq = 0;
                    for (int i = 0; i < n; i++) {
                        int base = xo + (i * c + ch) * plane;
                        for (int q = 0; q < plane; q++) {
                            double d = xd[base + q] - mu;
                            sq += d * d;
                        }
                    }
                    var[ch] = sq / m;
                    s = 1.0 / Math.sqrt(var[ch] + eps);
                } else {
                    mu = runMean.at(ch);
                    s = 1.0 / Math.sqrt(runVar.at(ch) + eps);
                }
                mean[ch] = mu;
                scale[ch] = s;
                double gm = gamma.at(ch), bt = beta.at(ch);
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * plane;
                    for (int q = 0; q < plane; q++) {
                        double h = (xd[xo + off + q] - mu) * s;
                        hd[off + q] = (float) h;
                        yd[off + q] = (float) (gm * h + bt);
                    }
                }
            }
        });
        if (f.mode.updatesRunningStatistics()) {
            for (int ch = 0; ch < c; ch++) {
                runMean.setAt(ch, (float) ((1 - momentum) * runMean.at(ch) + momentum * mean[ch]));
                runVar.setAt(ch, (float) ((1 - momentum) * runVar.at(ch) + momentum * var[ch] * m / (m - 1)));
            }
        }
        f.saved = new Saved(xHat, scale, batch);
        return y;
    }

    /** Per-channel sums Σ a·b over batch and pixels (b may be null: Σ a), in double. */
    private static double[] channelDot(Tensor a, Tensor b) {
        int n = a.dim(0), c = a.dim(1), plane = a.dim(2) * a.dim(3);
        double[] s = new double[c];
        float[] ad = a.data();
        float[] bd = b == null ? null : b.data();
        int ao = a.offset(), bo = b == null ? 0 : b.offset();
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * plane;
                    if (bd == null) {
                        for (int q = 0; q < plane; q++) acc += ad[ao + off + q];
                    } else {
                        for (int q = 0; q < plane; q++) acc += (double) ad[ao + off + q] * bd[bo + off + q];
                    }
                }
                s[ch] = acc;
            }
        });
        return s;
    }

    private static Tensor channelTensor(double[] v) {
        Tensor t = Tensor.zeros(v.length);
        for (int i = 0; i < v.length; i++) t.setAt(i, (float) v[i]);
        return t;
    }

    /**
     * r = c0[ch] + Σ_k coef_k[ch] · t_k, elementwise per channel (null tensors are skipped): the one
     * form that every input-side result of this op takes (terms in u, 1, x̂ and ẋ̂).
     */
    private static Tensor combine(int[] shape, double[] c0, Tensor[] ts, double[][] coefs) {
        Tensor r = Tensor.zeros(shape);
        int n = shape[0], c = shape[1], plane = shape[2] * shape[3];
        float[] rd = r.data();
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * plane;
                    // Term by term over the plane: each pass is a plain loop the JIT vectorises.
                    if (c0 != null) java.util.Arrays.fill(rd, off, off + plane, (float) c0[ch]);
                    for (int k = 0; k < ts.length; k++) {
                        if (ts[k] == null) continue;
                        float a = (float) coefs[k][ch];
                        float[] td = ts[k].data();
                        int to = ts[k].offset() + off;
                        for (int q = 0; q < plane; q++) rd[off + q] += a * td[to + q];
                    }
                }
            }
        });
        return r;
    }

    /**
     * Adds the coefficients of s·P(a·u) = s·a·(u − ⟨u⟩ − x̂⟨u x̂⟩), for per-channel factors a, to those
     * of u, of the constant and of x̂.
     */
    private static void addProjected(Saved sv, Tensor u, double[] a, double[] cu, double[] c1, double[] cx) {
        int m = u.size() / sv.scale.length;
        double[] su = channelDot(u, null), sux = channelDot(u, sv.xHat);
        for (int ch = 0; ch < a.length; ch++) {
            double k = sv.scale[ch] * a[ch];
            cu[ch] += k;
            c1[ch] -= k * su[ch] / m;
            cx[ch] -= k * sux[ch] / m;
        }
    }

    private static double[] values(Tensor t) {
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = t.at(i);
        return v;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        Saved sv = (Saved) f.saved;
        int c = sv.scale.length;
        double[] gamma = values(f.params[0]);
        if (out.wantsInput(0)) {
            double[] cg = new double[c], c1 = new double[c], cx = new double[c];
            if (sv.batchStats) {
                addProjected(sv, gy, gamma, cg, c1, cx);
            } else {
                for (int ch = 0; ch < c; ch++) cg[ch] = gamma[ch] * sv.scale[ch];
            }
            out.input(0, combine(gy.shape(), c1, new Tensor[] {gy, sv.xHat}, new double[][] {cg, cx}));
        }
        if (out.wantsParam(0)) {
            out.param(0, channelTensor(channelDot(gy, sv.xHat)));
            out.param(1, channelTensor(channelDot(gy, null)));
        }
    }

    /** ẋ̂ along ẋ: s·P(ẋ) with batch statistics, r·ẋ with running statistics. */
    private static Tensor xHatDot(Saved sv, Tensor xDot) {
        int c = sv.scale.length;
        if (!sv.batchStats) return combine(xDot.shape(), null, new Tensor[] {xDot}, new double[][] {sv.scale});
        double[] cu = new double[c], c1 = new double[c], cx = new double[c], one = new double[c];
        Arrays.fill(one, 1.0);
        addProjected(sv, xDot, one, cu, c1, cx);
        return combine(xDot.shape(), c1, new Tensor[] {xDot, sv.xHat}, new double[][] {cu, cx});
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        Saved sv = (Saved) f.saved;
        Tensor gammaDot = pDot[0], betaDot = pDot[1];
        if (xDot[0] == null && gammaDot == null && betaDot == null) return null;
        Tensor xhd = xDot[0] == null ? null : xHatDot(sv, xDot[0]);
        double[] cgd = gammaDot == null ? null : values(gammaDot);
        return combine(sv.xHat.shape(), betaDot == null ? null : values(betaDot),
                new Tensor[] {xhd, gammaDot == null ? null : sv.xHat}, new double[][] {values(f.params[0]), cgd});
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature curv, Adjoints out) {
        Saved sv = (Saved) f.saved;
        boolean nl = curv.nonlinear();
        Tensor xd = nl ? xDot[0] : null, gammaDot = nl ? pDot[0] : null;
        if (gyDot == null && xd == null && gammaDot == null) return;
        int c = sv.scale.length;
        int m = gy.size() / c;
        double[] gamma = values(f.params[0]);
        Tensor xhd = xd == null ? null : xHatDot(sv, xd);
        if (out.wantsInput(0) && (sv.batchStats || gyDot != null || gammaDot != null)) {
            // ġ_x as per-channel coefficients of ġ, g, 1, x̂ and ẋ̂.
            double[] cgd = new double[c], cg = new double[c], c1 = new double[c], cx = new double[c], cxhd = new double[c];
            if (sv.batchStats) {
                if (gyDot != null) addProjected(sv, gyDot, gamma, cgd, c1, cx);
                if (xd != null || gammaDot != null) {
                    // s·P(γ̇ g) + ṡ·P(γ g) = s·P(a g) with a = γ̇ − s⟨x̂ ẋ⟩γ, since ṡ = −s²⟨x̂ ẋ⟩.
                    double[] a = gammaDot == null ? new double[c] : values(gammaDot);
                    if (xd != null) {
                        double[] sxx = channelDot(xd, sv.xHat), sgx = channelDot(gy, sv.xHat), sgxhd = channelDot(gy, xhd);
                        for (int ch = 0; ch < c; ch++) {
                            double s = sv.scale[ch];
                            a[ch] -= s * sxx[ch] / m * gamma[ch];
                            cxhd[ch] -= s * gamma[ch] * sgx[ch] / m;   // −s·ẋ̂⟨γ g x̂⟩
                            cx[ch] -= s * gamma[ch] * sgxhd[ch] / m;   // −s·x̂⟨γ g ẋ̂⟩
                        }
                    }
                    addProjected(sv, gy, a, cg, c1, cx);
                }
            } else {
                for (int ch = 0; ch < c; ch++) {
                    cgd[ch] = gamma[ch] * sv.scale[ch];
                    if (gammaDot != null) cg[ch] = gammaDot.at(ch) * sv.scale[ch];
                }
            }
            out.input(0, combine(gy.shape(), c1, new Tensor[] {gyDot, gy, sv.xHat, xhd},
                    new double[][] {cgd, cg, cx, cxhd}));
        }
        if (out.wantsParam(0)) {
            double[] dGamma = new double[c], dBeta = new double[c];
            if (gyDot != null) {
                double[] a = channelDot(gyDot, sv.xHat), b = channelDot(gyDot, null);
                for (int ch = 0; ch < c; ch++) {
                    dGamma[ch] += a[ch];
                    dBeta[ch] += b[ch];
                }
            }
            if (xhd != null) {
                double[] a = channelDot(gy, xhd);
                for (int ch = 0; ch < c; ch++) dGamma[ch] += a[ch];
            }
            out.param(0, channelTensor(dGamma));
            out.param(1, channelTensor(dBeta));
        }
    }
}
