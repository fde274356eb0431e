package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Takes one token: x [T, D] → y [D] = x[i] (more generally [T, rest...] → [rest...]), ViT's
 * class-token head (i = 0). A negative index counts from the end (−1 is the last token).
 *
 * <p>A selection S is linear: forward y = S x; backward g_x = Sᵀ g_y (g_y at row i, zeros elsewhere);
 * tangent ẏ = S ẋ; rBackward ġ_x = Sᵀ ġ_y; no second-order term.
 */
public final class SelectToken extends Op {
    private final int index;

    public SelectToken(int index) {
        this.index = index;
    }

    static SelectToken fromAttrs(Attrs a) {
        return new SelectToken(a.getInt("index"));
    }

    public int index() {
        return index;
    }

    @Override public String kind() { return "SelectToken"; }
    @Override public Attrs attrs() { return Attrs.builder().put("index", index).build(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.INDEX_REMAPPING, OpProperty.PIECEWISE_LINEAR);
    }
    @Override public int arity() { return 1; }

    private int resolve(int tokens) {
        return index < 0 ? tokens + index : index;
    }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length < 1) throw new IllegalArgumentException("SelectToken(" + index + "): input needs a token axis, got " + Arrays.toString(in[0]));
        int i = resolve(in[0][0]);
        if (i < 0 || i >= in[0][0]) {
            throw new IllegalArgumentException("SelectToken(" + index + "): index out of range for input " + Arrays.toString(in[0]));
        }
        return Arrays.copyOfRange(in[0], 1, in[0].length);
    }


    private Tensor select(Tensor x) {
        int n = x.dim(0), t = x.dim(1), per = x.size() / (n * t), i = resolve(t);
        int[] s = x.shape();
        int[] ys = new int[s.length - 1];
        ys[0] = n;
        System.arraycopy(s, 2, ys, 1, s.length - 2);
        Tensor y = Tensor.zeros(ys);
        for (int b = 0; b < n; b++) System.arraycopy(x.data(), x.offset() + (b * t + i) * per, y.data(), b * per, per);
        return y;
    }

    private Tensor place(Tensor g, int[] xShape) {
        Tensor x = Tensor.zeros(xShape);
        int n = xShape[0], t = xShape[1], per = x.size() / (n * t), i = resolve(t);
        for (int b = 0; b < n; b++) System.arraycopy(g.data(), g.offset() + b * per, x.data(), (b * t + i) * per, per);
        return x;
    }

    @Override
    public Tensor forward(Frame f) {
        return select(f.inputs[0]);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, place(gy, f.inputs[0].shape()));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : select(xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, place(gyDot, f.inputs[0].shape()));
    }
}
