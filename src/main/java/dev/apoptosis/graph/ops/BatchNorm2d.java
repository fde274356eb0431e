package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.norm.BatchNormKernels;
import dev.apoptosis.tensor.norm.ChannelCombination;
import dev.apoptosis.tensor.reduce.Reductions;
import java.lang.ref.WeakReference;
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
 * <p>Properties: NORMALIZATION, BATCH_COUPLED; not PIECEWISE_LINEAR (properties do
 * not depend on the mode, and with batch statistics the op is not), though with running statistics
 * it is affine. Not a PARAMETER_LAYER, so {@code ParamVector.obaDirection} leaves γ and β at zero.
 *
 * <h2>Computation</h2> Every rule is a few per-channel sums ({@link Reductions}, float64, one
 * thread per channel) followed by one pass that forms the result as a per-channel combination of
 * whole tensors ({@link ChannelCombination}); statistics and the forward normalisation are
 * {@link BatchNormKernels}'. With batch statistics, ẋ̂ is never stored: it is
 * s·(ẋ − ⟨ẋ⟩ − x̂⟨ẋ x̂⟩), so its sums and its share of ġ_x are folded into the coefficients of
 * ẋ, x̂ and the constant. Results do not depend on the thread count.
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
        return Set.of(OpProperty.NORMALIZATION, OpProperty.BATCH_COUPLED);
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


    /**
     * What forward keeps: the input x (which the frame holds anyway) and per channel the mean μ and
     * the scale s (batch) or r (running) that map it to x̂ = (x − μ)·s, and the number M of values
     * per channel. x̂ itself is not stored: the rules form it on the fly, with the forward's exact
     * float arithmetic, which saves a tensor per layer and a write of it.
     */
    private record Saved(Tensor x, float[] mean, float[] scale, boolean batchStats, long m, SumMemo tangentSums,
                         SumMemo adjointSums) {
        Saved(Tensor x, float[] mean, float[] scale, boolean batchStats, long m) {
            this(x, mean, scale, batchStats, m, new SumMemo(), new SumMemo());
        }

        int channels() {
            return scale.length;
        }

        /** {Σ a, Σ a·x̂}, from the memo when an earlier rule of this pass computed them for this very tensor. */
        double[][] sumAndDotXHat(Tensor a, SumMemo memo) {
            double[][] sums = memo.take(a);
            return sums != null ? sums : sumAndDotXHat(a);
        }

        /** {Σ a, Σ a·x̂} per channel in one pass over a and x, with Σ a·x̂ = s·(Σ a·x − μ Σ a) in double. */
        double[][] sumAndDotXHat(Tensor a) {
            int[] l = layout(a);
            double[] sums = new double[l[1]], dots = new double[l[1]];
            Reductions.sumAndProductPerChannel(a.data(), a.offset(), x.data(), x.offset(), l[0], l[1], l[2], sums, dots);
            for (int c = 0; c < l[1]; c++) dots[c] = scale[c] * (dots[c] - (double) mean[c] * sums[c]);
            return new double[][] {sums, dots};
        }

        /** Σ a·b per channel, in double. */
        double[] dot(Tensor a, Tensor b) {
            int[] l = layout(a);
            double[] out = new double[l[1]];
            Reductions.sumProductPerChannel(a.data(), a.offset(), b.data(), b.offset(), l[0], l[1], l[2], out);
            return out;
        }

        /** c0 + Σ coefs[k]·terms[k] [+ xhatCoefs·x̂], x̂ formed from x on the fly. */
        Tensor combine(double[] c0, double[][] coefs, Tensor[] terms, double[] xhatCoefs) {
            float[][] a = new float[coefs.length][];
            for (int k = 0; k < a.length; k++) a[k] = floats(coefs[k]);
            return ChannelCombination.combine(x.shape(), c0 == null ? null : floats(c0), a, terms,
                    xhatCoefs == null ? null : x, mean, scale, xhatCoefs == null ? null : floats(xhatCoefs));
        }

        private static int[] layout(Tensor a) {
            return new int[] {a.dim(0), a.dim(1), a.dim(2) * a.dim(3)};
        }
    }

    /**
     * Per-channel sums one rule leaves for a later rule of the same derivative pass: the tangent's
     * Σẋ and Σẋx̂, and the backward's Σg and Σgx̂, are needed again by rBackward, which in a curvature
     * pass runs on the very same ẋ and g. The key is the tensor's identity, held weakly so that a plain
     * backward does not keep its adjoints alive; a rule's operands are never written after they are
     * made (the engine's contract), so a tensor that is still the key still has the summed values.
     * An entry is used at most once.
     */
    private static final class SumMemo {
        private WeakReference<Tensor> key;
        private double[][] sums;

        void put(Tensor t, double[][] s) {
            key = new WeakReference<>(t);
            sums = s;
        }

        double[][] take(Tensor t) {
            double[][] s = key != null && key.get() == t ? sums : null;
            key = null;
            sums = null;
            return s;
        }
    }

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
        Tensor gamma = f.params[0], beta = f.params[1], runMean = f.buffers[0], runVar = f.buffers[1];
        float[] mean = new float[c], var = new float[c], scale = new float[c];
        if (batch) {
            BatchNormKernels.stats(x.data(), x.offset(), n, c, plane, (float) eps, mean, var, scale);
        } else {
            System.arraycopy(runMean.data(), runMean.offset(), mean, 0, c);
            System.arraycopy(runVar.data(), runVar.offset(), var, 0, c);
            BatchNormKernels.invStd(var, (float) eps, scale, c);
        }
        // Inference keeps nothing for derivative rules, so y may overwrite a donated x (value by value);
        // a fresh output per call is what made BatchNorm slow on two threads there.
        Tensor donated = f.mode == Mode.EVAL ? f.donatedInput(0) : null;
        Tensor y = donated != null ? donated : Tensor.uninitialized(x.shape());
        BatchNormKernels.apply(x.data(), x.offset(), n, c, plane, mean, scale, dense(gamma), dense(beta), null, 0, y.data(), y.offset());
        if (f.mode.updatesRunningStatistics()) {
            for (int ch = 0; ch < c; ch++) {
                runMean.setAt(ch, (float) ((1 - momentum) * runMean.at(ch) + momentum * mean[ch]));
                runVar.setAt(ch, (float) ((1 - momentum) * runVar.at(ch) + momentum * (double) var[ch] * m / (m - 1)));
            }
        }
        f.saved = new Saved(x, mean, scale, batch, m);
        return y;
    }

    private static float[] dense(Tensor t) {
        return t.offset() == 0 ? t.data() : t.toArray();
    }

    private static double[] values(Tensor t) {
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = t.at(i);
        return v;
    }

    private static float[] floats(double[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (float) v[i];
        return r;
    }


    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        Saved sv = (Saved) f.saved;
        int c = sv.channels();
        double[] gamma = values(f.params[0]);
        boolean params = out.wantsParam(0);
        double[][] sums = params || (out.wantsInput(0) && sv.batchStats) ? sv.sumAndDotXHat(gy) : null;
        if (out.wantsInput(0)) {
            // Batch statistics: g_x = s·P(γ g) = sγ·g − sγ⟨g x̂⟩·x̂ − sγ⟨g⟩; running statistics: g_x = γ r g.
            double[] cg = new double[c], cx = sv.batchStats ? new double[c] : null, c1 = sv.batchStats ? new double[c] : null;
            for (int ch = 0; ch < c; ch++) {
                double k = gamma[ch] * sv.scale[ch];
                cg[ch] = k;
                if (sv.batchStats) {
                    cx[ch] = -k * sums[1][ch] / sv.m;
                    c1[ch] = -k * sums[0][ch] / sv.m;
                }
            }
            Tensor donated = sv.batchStats ? out.donatedOutputAdjoint() : null;
            if (donated != null) {
                // Written over gy, whose sums were taken above. BatchNorm is given gy only in a plain backward
                // pass (it is not piecewise linear), which runs no rBackward to want the sums again.
                ChannelCombination.termAndNormalizedInPlace(floats(c1), floats(cg), gy, sv.x, sv.mean, sv.scale, floats(cx));
                out.inputNew(0, gy);
            } else {
                out.inputNew(0, sv.combine(c1, new double[][] {cg}, new Tensor[] {gy}, cx));
                // A curvature pass's rBackward needs the same sums again.
                if (sv.batchStats) sv.adjointSums.put(gy, sums);
            }
        }
        if (params) {
            out.param(0, Reductions.toTensor(sums[1]));
            out.param(1, Reductions.toTensor(sums[0]));
        }
    }

    /**
     * ẋ̂ along ẋ as coefficients: ẋ̂ = kx·ẋ + kh·x̂ + k1 per channel. With batch statistics
     * ẋ̂ = s·(ẋ − Σẋ/M − x̂ Σẋx̂/M), given {@code sums} = {Σẋ, Σẋx̂}; with running statistics
     * ẋ̂ = r·ẋ (sums unused). Returns {kx, kh, k1}.
     */
    private static double[][] xHatDot(Saved sv, double[][] sums) {
        int c = sv.channels();
        double[] kx = new double[c], kh = new double[c], k1 = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double s = sv.scale[ch];
            kx[ch] = s;
            if (sv.batchStats) {
                k1[ch] = -s * sums[0][ch] / sv.m;
                kh[ch] = -s * sums[1][ch] / sv.m;
            }
        }
        return new double[][] {kx, kh, k1};
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        Saved sv = (Saved) f.saved;
        Tensor gammaDot = pDot[0], betaDot = pDot[1];
        if (xDot[0] == null && gammaDot == null && betaDot == null) return null;
        // ẏ = γ ẋ̂ + γ̇ x̂ + β̇, with ẋ̂ expanded into its ẋ, x̂ and constant parts.
        int c = sv.channels();
        double[] gamma = values(f.params[0]);
        double[] cx = new double[c], ch = gammaDot == null ? new double[c] : values(gammaDot);
        double[] c1 = betaDot == null ? new double[c] : values(betaDot);
        if (xDot[0] != null) {
            double[][] sums = sv.batchStats ? sv.sumAndDotXHat(xDot[0]) : null;
            if (sums != null) sv.tangentSums.put(xDot[0], sums);
            double[][] k = xHatDot(sv, sums);
            for (int i = 0; i < c; i++) {
                cx[i] = gamma[i] * k[0][i];
                ch[i] += gamma[i] * k[1][i];
                c1[i] += gamma[i] * k[2][i];
            }
        }
        boolean xHatTerm = gammaDot != null || (xDot[0] != null && sv.batchStats);
        return sv.combine(c1, new double[][] {cx}, new Tensor[] {xDot[0]}, xHatTerm ? ch : null);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature curv, Adjoints out) {
        Saved sv = (Saved) f.saved;
        boolean nl = curv.nonlinear();
        Tensor xd = nl ? xDot[0] : null, gammaDot = nl ? pDot[0] : null;
        if (gyDot == null && xd == null && gammaDot == null) return;
        int c = sv.channels();
        double m = sv.m;
        double[] gamma = values(f.params[0]);
        double[] zero = new double[c];
        // Per-channel sums (zero where an operand is null): Σġ, Σġx̂, Σg, Σgx̂, Σgẋ and ẋ̂'s coefficients.
        double[][] dotSums = gyDot == null ? new double[][] {zero, zero} : sv.sumAndDotXHat(gyDot);
        double[] sgd = dotSums[0], sgdh = dotSums[1];
        boolean needG = sv.batchStats && (xd != null || gammaDot != null);
        double[][] gSums = needG ? sv.sumAndDotXHat(gy, sv.adjointSums) : new double[][] {zero, zero};
        double[] sg = gSums[0], sgh = gSums[1];
        double[] sgx = xd == null ? zero : sv.dot(gy, xd);
        double[][] k = xd == null ? null : xHatDot(sv, sv.batchStats ? sv.sumAndDotXHat(xd, sv.tangentSums) : null);
        // Σ g ẋ̂ = kx Σgẋ + kh Σgx̂ + k1 Σg (Σgx̂ and Σg are only needed, and only computed, with batch statistics).
        double[] sgxh = new double[c];
        if (xd != null) {
            for (int ch = 0; ch < c; ch++) sgxh[ch] = k[0][ch] * sgx[ch] + k[1][ch] * sgh[ch] + k[2][ch] * sg[ch];
        }
        if (out.wantsInput(0) && (sv.batchStats || gyDot != null || gammaDot != null)) {
            // ġ_x as per-channel coefficients of ġ, g, ẋ, x̂ and the constant.
            double[] cgd = new double[c], cg = new double[c], cxd = new double[c], cx = new double[c], c1 = new double[c];
            for (int ch = 0; ch < c; ch++) {
                double s = sv.scale[ch], gm = gamma[ch], gd = gammaDot == null ? 0 : gammaDot.at(ch);
                if (!sv.batchStats) {
                    cgd[ch] = gm * s;   // γ r ġ
                    cg[ch] = gd * s;    // [γ̇ r g]
                    continue;
                }
                // s·P(γ ġ) + s·P(a g) − s γ ⟨g x̂⟩ ẋ̂ − s γ ⟨g ẋ̂⟩ x̂, with a = γ̇ − s⟨x̂ ẋ⟩γ (since ṡ = −s²⟨x̂ ẋ⟩).
                double a = gd + (xd == null ? 0 : k[1][ch] * gm);
                double kxh = -s * gm * sgh[ch] / m;   // coefficient of ẋ̂
                cgd[ch] = s * gm;
                cg[ch] = s * a;
                c1[ch] = -s * gm * sgd[ch] / m - s * a * sg[ch] / m;
                cx[ch] = -s * gm * sgdh[ch] / m - s * a * sgh[ch] / m - s * gm * sgxh[ch] / m;
                if (xd != null) {
                    cxd[ch] = kxh * k[0][ch];
                    cx[ch] += kxh * k[1][ch];
                    c1[ch] += kxh * k[2][ch];
                }
            }
            out.inputNew(0, sv.combine(c1, new double[][] {cgd, cg, cxd},
                    new Tensor[] {gyDot, gammaDot == null && xd == null ? null : gy, sv.batchStats ? xd : null},
                    sv.batchStats ? cx : null));
        }
        if (out.wantsParam(0)) {
            // ġ_γ = Σ ġ x̂ [+ Σ g ẋ̂], ġ_β = Σ ġ.
            double[] dGamma = new double[c];
            for (int ch = 0; ch < c; ch++) dGamma[ch] = sgdh[ch] + sgxh[ch];
            out.param(0, Reductions.toTensor(dGamma));
            out.param(1, Reductions.toTensor(sgd));
        }
    }
}
