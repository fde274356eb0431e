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
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Prepends ViT's learnable class token c ("token", [1, D], N(0, 0.02²)) to every sample's tokens:
 * x [T, D] → y [T+1, D] with y[0] = c and y[1..T] = x. The head later reads y[0] back with
 * {@link SelectToken}.
 *
 * <p>The op is linear in (x, c), so there are no second-order terms:
 * <ul>
 * <li>forward: y = [c; x]</li>
 * <li>backward: g_x = g_y[1..T]; g_c = Σ_batch g_y[0]</li>
 * <li>tangent: ẏ = [ċ; ẋ]</li>
 * <li>rBackward: ġ_x = ġ_y[1..T]; ġ_c = Σ_batch ġ_y[0]</li>
 * </ul>
 */
public final class ClassToken extends Op {
    @Override public String kind() { return "ClassToken"; }
    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR);
    }
    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length != 2) throw new IllegalArgumentException("ClassToken: input must be tokens [T, D], got " + Arrays.toString(in[0]));
        return new int[] {in[0][0] + 1, in[0][1]};
    }

    @Override
    public List<ParamSpec> params(int[][] in) {
        return List.of(ParamSpec.weight("token", new int[] {1, in[0][1]}, Init.NORMAL_002, 1, -1));
    }


    /** [N, T+1, D] with row 0 of every sample from {@code head} (may be null: zero) and rows 1.. from {@code body} (may be null). */
    private static Tensor prepend(Tensor head, Tensor body, int n, int t, int d) {
        Tensor y = Tensor.zeros(n, t + 1, d);
        float[] ys = y.data();
        for (int b = 0; b < n; b++) {
            int yb = b * (t + 1) * d;
            if (head != null) System.arraycopy(head.data(), head.offset(), ys, yb, d);
            if (body != null) System.arraycopy(body.data(), body.offset() + b * t * d, ys, yb + d, t * d);
        }
        return y;
    }

    /** Rows 1.. of every sample of g [N, T+1, D]: [N, T, D]. */
    private static Tensor body(Tensor g) {
        int n = g.dim(0), t = g.dim(1) - 1, d = g.dim(2);
        Tensor x = Tensor.zeros(n, t, d);
        for (int b = 0; b < n; b++) System.arraycopy(g.data(), g.offset() + (b * (t + 1) + 1) * d, x.data(), b * t * d, t * d);
        return x;
    }

    /** Σ over the batch of row 0 of g [N, T+1, D], in double: [1, D]. */
    private static Tensor headSum(Tensor g) {
        int n = g.dim(0), t1 = g.dim(1), d = g.dim(2);
        double[] acc = new double[d];
        float[] gs = g.data();
        for (int b = 0; b < n; b++) {
            int base = g.offset() + b * t1 * d;
            for (int j = 0; j < d; j++) acc[j] += gs[base + j];
        }
        Tensor c = Tensor.zeros(1, d);
        for (int j = 0; j < d; j++) c.setAt(j, (float) acc[j]);
        return c;
    }

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.inputs[0];
        return prepend(f.params[0], x, x.dim(0), x.dim(1), x.dim(2));
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, body(gy));
        if (out.wantsParam(0)) out.param(0, headSum(gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        if (xDot[0] == null && pDot[0] == null) return null;
        Tensor x = f.inputs[0];
        return prepend(pDot[0], xDot[0], x.dim(0), x.dim(1), x.dim(2));
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot == null) return;
        if (out.wantsInput(0)) out.input(0, body(gyDot));
        if (out.wantsParam(0)) out.param(0, headSum(gyDot));
    }
}
