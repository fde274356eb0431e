package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.tensor.Recycler;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import dev.apoptosis.tensor.gemm.Gemm;
import dev.apoptosis.tensor.reduce.Reductions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Fully connected layer on the last axis: y = x·Wᵀ + b, x [.., in], W [out, in], b [out].
 * Inputs of rank > 1 per sample (tokens [T, in]) are treated as rows. The input width is read from
 * the input shape, so pruning the producer only changes this layer's weight, not its attributes.
 *
 * <p>Rules (rows R = batch × tokens; ⋆ is the matrix product):
 * <ul>
 * <li>forward: y = x Wᵀ + b</li>
 * <li>backward: g_x = g_y W; g_W = g_yᵀ x; g_b = Σ_rows g_y</li>
 * <li>tangent: ẏ = ẋ Wᵀ + x Ẇᵀ + ḃ</li>
 * <li>rBackward: ġ_x = ġ_y W [+ g_y Ẇ]; ġ_W = ġ_yᵀ x [+ g_yᵀ ẋ]; ġ_b = Σ_rows ġ_y; bracketed terms are
 *     bilinear (weight × activation), included when {@link Curvature#bilinear()}.</li>
 * </ul>
 */
public final class Linear extends Op {
    private final int out;
    private final boolean bias;

    public Linear(int outFeatures, boolean bias) {
        if (outFeatures <= 0) throw new IllegalArgumentException("Linear: out features must be positive, got " + outFeatures);
        this.out = outFeatures;
        this.bias = bias;
    }

    public static Linear of(int outFeatures) {
        return new Linear(outFeatures, true);
    }

    static Linear fromAttrs(Attrs a) {
        return new Linear(a.getInt("out"), a.getBool("bias", true));
    }

    public int outFeatures() {
        return out;
    }

    public boolean hasBias() {
        return bias;
    }

    @Override public String kind() { return "Linear"; }
    @Override public Attrs attrs() { return Attrs.builder().put("out", out).put("bias", bias).build(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.PARAMETER_LAYER);
    }
    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length < 1) throw new IllegalArgumentException("Linear: input must have at least one axis, got " + Arrays.toString(in[0]));
        int[] s = in[0].clone();
        s[s.length - 1] = out;
        return s;
    }

    @Override
    public List<ParamSpec> params(int[][] in) {
        int inF = in[0][in[0].length - 1];
        List<ParamSpec> ps = new ArrayList<>();
        ps.add(ParamSpec.weight("weight", new int[] {out, inF}, Init.UNIFORM_FAN_IN, 0, 1));
        if (bias) ps.add(ParamSpec.weight("bias", new int[] {out}, Init.UNIFORM_FAN_IN, 0, -1));
        return ps;
    }

    @Override
    public long macs(int[][] in, int[] outShape) {
        long rows = 1;
        for (int i = 0; i < in[0].length - 1; i++) rows *= in[0][i];
        return rows * in[0][in[0].length - 1] * out;
    }


    private static int inFeatures(Frame f) {
        return f.params[0].dim(1);
    }

    /** y (+)= a · Bᵀ for a [R, k], B [n, k]. */
    private static void rowsTimesT(Tensor a, Tensor b, Tensor y, boolean accumulate) {
        int k = b.dim(1), n = b.dim(0), rows = a.size() / k;
        Gemm.sgemm(false, true, rows, n, k, 1f, a.data(), a.offset(), k, b.data(), b.offset(), k,
                accumulate ? 1f : 0f, y.data(), y.offset(), n);
    }

    /** y (+)= a · B for a [R, n], B [n, k]. */
    private static void rowsTimes(Tensor a, Tensor b, Tensor y, boolean accumulate) {
        int n = b.dim(0), k = b.dim(1), rows = a.size() / n;
        Gemm.sgemm(false, false, rows, k, n, 1f, a.data(), a.offset(), n, b.data(), b.offset(), k,
                accumulate ? 1f : 0f, y.data(), y.offset(), k);
    }

    /** gW (+)= gᵀ · x for g [R, out], x [R, in]. */
    private static void weightGrad(Tensor g, Tensor x, Tensor gw, boolean accumulate) {
        int o = gw.dim(0), in = gw.dim(1), rows = g.size() / o;
        Gemm.sgemm(true, false, o, in, rows, 1f, g.data(), g.offset(), o, x.data(), x.offset(), in,
                accumulate ? 1f : 0f, gw.data(), gw.offset(), in);
    }

    /** Column sums of g viewed as [R, out], accumulated in double. */
    private static Tensor biasGrad(Tensor g) {
        return Reductions.columnSums(g);
    }

    /** y += b on every row, in place (y is this op's own new tensor). */
    private static void addBias(Tensor y, Tensor b) {
        int o = b.size();
        float[] bias = b.offset() == 0 ? b.data() : b.toArray();
        Elementwise.addPerChannel(y.data(), y.offset(), bias, y.data(), y.offset(), y.size() / o, o, 1);
    }

    /** A new output, of unspecified values when {@code written} (a product into it with accumulate = false comes first). */
    private Tensor newOutput(Frame f, boolean written) {
        int[] s = f.inputs[0].shape();
        s[s.length - 1] = out;
        return written ? Tensor.uninitialized(s) : Tensor.zeros(s);
    }

    @Override
    public Tensor forward(Frame f) {
        Tensor y = newOutput(f, true);
        rowsTimesT(f.inputs[0], f.params[0], y, false);
        if (bias) addBias(y, f.params[1]);
        return y;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        Tensor x = f.inputs[0], w = f.params[0];
        if (out.wantsInput(0)) {
            Tensor gx = Tensor.uninitialized(x.shape());
            rowsTimes(gy, w, gx, false);
            out.inputNew(0, gx);
        }
        if (out.wantsParam(0)) {
            Tensor gw = Tensor.zeros(w.shape());
            weightGrad(gy, x, gw, false);
            out.param(0, gw);
            if (bias) out.param(1, biasGrad(gy));
        }
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        Tensor wDot = pDot[0], bDot = bias ? pDot[1] : null;
        if (xDot[0] == null && wDot == null && bDot == null) return null;
        Tensor y = newOutput(f, xDot[0] != null || wDot != null);
        boolean acc = false;
        if (xDot[0] != null && SelfDirection.is(wDot, f.params[0])) {
            // Ẇ = W (v = θ): W·ẋ + Ẇ·x = W·(x + ẋ), one GEMM.
            Tensor sum = Elementwise.add(f.inputs[0], xDot[0]);
            rowsTimesT(sum, f.params[0], y, false);
            Recycler.give(sum.data());
            if (bDot != null) addBias(y, bDot);
            return y;
        }
        if (xDot[0] != null) {
            rowsTimesT(xDot[0], f.params[0], y, false);
            acc = true;
        }
        if (wDot != null) rowsTimesT(f.inputs[0], wDot, y, acc);
        if (bDot != null) addBias(y, bDot);
        return y;
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        Tensor x = f.inputs[0], w = f.params[0], wDot = pDot[0];
        boolean bil = c.bilinear();
        if (out.wantsInput(0) && (gyDot != null || (bil && wDot != null))) {
            Tensor gx = Tensor.uninitialized(x.shape());  // the first product below has accumulate = false
            boolean acc = false;
            if (gyDot != null && bil && SelfDirection.is(wDot, w)) {
                // Ẇ = W (v = θ): Wᵀġ + Ẇᵀg = Wᵀ(ġ + g), one GEMM.
                Tensor sum = Elementwise.add(gyDot, gy);
                rowsTimes(sum, w, gx, false);
                Recycler.give(sum.data());
            } else {
                if (gyDot != null) {
                    rowsTimes(gyDot, w, gx, false);
                    acc = true;
                }
                if (bil && wDot != null) rowsTimes(gy, wDot, gx, acc);
            }
            out.inputNew(0, gx);
        }
        if (out.wantsParam(0) && (gyDot != null || (bil && xDot[0] != null))) {
            Tensor gw = Tensor.zeros(w.shape());
            boolean acc = false;
            if (gyDot != null) {
                weightGrad(gyDot, x, gw, false);
                acc = true;
            }
            if (bil && xDot[0] != null) weightGrad(gy, xDot[0], gw, acc);
            out.param(0, gw);
            if (bias && gyDot != null) out.param(1, biasGrad(gyDot));
        }
    }
}
