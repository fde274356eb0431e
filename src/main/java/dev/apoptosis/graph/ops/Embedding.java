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
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Table lookup: integer ids (given as float values, since every activation is a float tensor) pick
 * rows of a learnable table W ("weight", [vocab, dim], N(0, 0.02²)). x of sample shape s gives
 * y of shape s + [dim]: tokens [T] → [T, dim]. An id that is not an integer in [0, vocab) is an
 * error naming the node.
 *
 * <p>Ids are not differentiable: the rules ignore any input tangent ẋ and never deliver an input
 * adjoint (the gradient in x is zero almost everywhere). y is linear in W, so there is no
 * second-order term:
 * <ul>
 * <li>forward: y[i] = W[x_i]</li>
 * <li>backward: g_W[v] = Σ_{i: x_i = v} g_y[i]</li>
 * <li>tangent: ẏ[i] = Ẇ[x_i]</li>
 * <li>rBackward: ġ_W[v] = Σ_{i: x_i = v} ġ_y[i]</li>
 * </ul>
 */
public final class Embedding extends Op {
    private final int vocab;
    private final int dim;

    public Embedding(int vocab, int dim) {
        if (vocab <= 0 || dim <= 0) throw new IllegalArgumentException("Embedding: vocab and dim must be positive, got " + vocab + ", " + dim);
        this.vocab = vocab;
        this.dim = dim;
    }

    static Embedding fromAttrs(Attrs a) {
        return new Embedding(a.getInt("vocab"), a.getInt("dim"));
    }

    public int vocab() {
        return vocab;
    }

    public int dim() {
        return dim;
    }

    @Override public String kind() { return "Embedding"; }
    @Override public Attrs attrs() { return Attrs.builder().put("vocab", vocab).put("dim", dim).build(); }
    /** Piecewise constant in its (integer) input: no second derivative in x. */
    @Override public Set<OpProperty> properties() { return Set.of(OpProperty.PIECEWISE_LINEAR); }
    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        int[] s = Arrays.copyOf(in[0], in[0].length + 1);
        s[in[0].length] = dim;
        return s;
    }

    @Override
    public List<ParamSpec> params(int[][] in) {
        return List.of(ParamSpec.weight("weight", new int[] {vocab, dim}, Init.NORMAL_002, 1, -1));
    }


    /** The ids of x as ints, checked. */
    private int[] ids(Frame f) {
        Tensor x = f.inputs[0];
        int[] ids = new int[x.size()];
        for (int i = 0; i < ids.length; i++) {
            float v = x.at(i);
            int id = (int) v;
            if (id != v || id < 0 || id >= vocab) {
                throw new IllegalArgumentException("Embedding '" + f.name() + "': id " + v + " at flat position " + i
                        + " is not an integer in [0, " + vocab + ")");
            }
            ids[i] = id;
        }
        return ids;
    }

    private int[] savedIds(Frame f) {
        return (int[]) f.saved;
    }

    /** Rows of {@code table} picked by ids, shaped as the output. */
    private Tensor gather(Frame f, Tensor table) {
        int[] ids = savedIds(f);
        int[] s = Arrays.copyOf(f.inputs[0].shape(), f.inputs[0].rank() + 1);
        s[s.length - 1] = dim;
        Tensor y = Tensor.zeros(s);
        float[] ts = table.data(), ys = y.data();
        int to = table.offset();
        for (int i = 0; i < ids.length; i++) System.arraycopy(ts, to + ids[i] * dim, ys, i * dim, dim);
        return y;
    }

    /** Scatter-add of the rows of g into a [vocab, dim] table; each column block is summed in row order by one thread. */
    private Tensor scatter(Frame f, Tensor g) {
        int[] ids = savedIds(f);
        Tensor t = Tensor.zeros(vocab, dim);
        float[] gs = g.data(), ts = t.data();
        int go = g.offset();
        Parallel.forRange(dim, 64, (lo, hi) -> {
            for (int i = 0; i < ids.length; i++) {
                int src = go + i * dim, dst = ids[i] * dim;
                for (int j = lo; j < hi; j++) ts[dst + j] += gs[src + j];
            }
        });
        return t;
    }

    @Override
    public Tensor forward(Frame f) {
        f.saved = ids(f);
        return gather(f, f.params[0]);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsParam(0)) out.param(0, scatter(f, gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return pDot[0] == null ? null : gather(f, pDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsParam(0)) out.param(0, scatter(f, gyDot));
    }
}
