package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Init;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import dev.apoptosis.tensor.reduce.Reductions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Adds a learnable embedding P ("embedding", the sample shape of x, [T, D] for tokens,
 * N(0, 0.02²)) to every sample: y = x + P, ViT's position embedding. Its shape follows the input
 * shape, so it has no attributes.
 *
 * <p>Linear in (x, P), no second-order terms:
 * <ul>
 * <li>forward: y = x + P</li>
 * <li>backward: g_x = g_y; g_P = Σ_batch g_y</li>
 * <li>tangent: ẏ = ẋ + Ṗ</li>
 * <li>rBackward: ġ_x = ġ_y; ġ_P = Σ_batch ġ_y</li>
 * </ul>
 */
public final class PositionalEmbedding extends Op {
    @Override public String kind() { return "PositionalEmbedding"; }
    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR);
    }
    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length < 1) throw new IllegalArgumentException("PositionalEmbedding: input needs at least one axis, got " + Arrays.toString(in[0]));
        return in[0].clone();
    }

    @Override
    public List<ParamSpec> params(int[][] in) {
        int last = in[0].length - 1;
        return List.of(ParamSpec.weight("embedding", in[0].clone(), Init.NORMAL_002, last, -1));
    }


    /** x + P per sample into a new tensor; x may be null (zero), P may be null (zero) but not both. */
    private static Tensor addPerSample(Tensor x, Tensor p, int[] shape) {
        Tensor y = Tensor.zeros(shape);
        float[] ys = y.data();
        int per = p != null ? p.size() : y.size() / shape[0];
        if (x != null) System.arraycopy(x.data(), x.offset(), ys, 0, ys.length);
        if (p != null) {
            // Every sample row meets P elementwise: the row-vector broadcast, in place.
            Elementwise.addPerChannel(ys, 0, p.offset() == 0 ? p.data() : p.toArray(), ys, 0, shape[0], per, 1);
        }
        return y;
    }

    /** Σ over the batch of g [N, s...], in double: a tensor of the sample shape. */
    private static Tensor batchSum(Tensor g, int[] sample) {
        int n = g.dim(0), per = g.size() / n;
        double[] acc = new double[per];
        Reductions.sumPerChannel(g.data(), g.offset(), n, per, 1, acc);
        return Reductions.toTensor(acc).reshape(sample);
    }

    @Override
    public Tensor forward(Frame f) {
        return addPerSample(f.inputs[0], f.params[0], f.inputs[0].shape());
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, gy);
        if (out.wantsParam(0)) out.param(0, batchSum(gy, f.params[0].shape()));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        if (pDot[0] == null) return xDot[0];
        return addPerSample(xDot[0], pDot[0], f.inputs[0].shape());
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot == null) return;
        if (out.wantsInput(0)) out.input(0, gyDot);
        if (out.wantsParam(0)) out.param(0, batchSum(gyDot, f.params[0].shape()));
    }
}
