package dev.apoptosis.graph.ops;

import dev.apoptosis.autodiff.Adjoints;
import dev.apoptosis.autodiff.Curvature;
import dev.apoptosis.autodiff.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import java.util.Set;

/**
 * A smooth activation applied to every element, y = φ(x), with its four rules written once in
 * terms of φ, φ' and φ'' (the subclasses GELU, SiLU and Tanh supply those three as array kernels):
 * <ul>
 * <li>forward: y = φ(x)</li>
 * <li>backward: g_x = φ'(x) ⊙ g_y</li>
 * <li>tangent: ẏ = φ'(x) ⊙ ẋ</li>
 * <li>rBackward: ġ_x = φ'(x) ⊙ ġ_y [+ φ''(x) ⊙ ẋ ⊙ g_y]; the bracketed term is the activation's own
 *     curvature, included iff {@link Curvature#nonlinear()}.</li>
 * </ul>
 * φ' and φ'' are recomputed from the kept input x whenever a rule needs them rather than stored,
 * so an importance pass holds no more memory than the forward.
 */
abstract class ElementwiseActivation extends Op {
    /** Elements per parallel task: large enough that the hand-off costs less than the work. */
    private static final int GRAIN = 1 << 14;

    /** y[yo + i] = φ(x[xo + i]) for i in [0, n). */
    protected abstract void value(float[] x, int xo, float[] y, int yo, int n);

    /** d[do + i] = φ'(x[xo + i]). */
    protected abstract void slope(float[] x, int xo, float[] d, int dOff, int n);

    /** d[do + i] = φ''(x[xo + i]). */
    protected abstract void curvature(float[] x, int xo, float[] d, int dOff, int n);

    /** A kernel over a window of n elements. */
    @FunctionalInterface
    private interface Kernel {
        void run(float[] x, int xo, float[] out, int oo, int n);
    }

    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() { return Set.of(OpProperty.CHANNEL_PRESERVING); }
    @Override public int arity() { return 1; }
    @Override public int[] outputShape(int[][] in) { return in[0].clone(); }
    @Override public int inputChannelAxis(int i, int[][] in) { return ChannelAxes.natural(in[0]); }
    @Override public int outputChannelAxis(int[][] in) { return ChannelAxes.natural(in[0]); }

    /** Applies {@code k} to x in independent chunks (each element's value does not depend on the split). */
    private static Tensor map(Tensor x, Kernel k) {
        Tensor out = Tensor.zeros(x.shape());
        float[] xs = x.data(), os = out.data();
        int xo = x.offset();
        Parallel.forRange(x.size(), GRAIN, (lo, hi) -> k.run(xs, xo + lo, os, lo, hi - lo));
        return out;
    }

    /** a ⊙ b into a new tensor (b indexed from its own offset). */
    private static Tensor times(Tensor a, Tensor b) {
        Tensor r = Tensor.zeros(a.shape());
        float[] as = a.data(), bs = b.data(), rs = r.data();
        int ao = a.offset(), bo = b.offset();
        for (int i = 0, n = r.size(); i < n; i++) rs[i] = as[ao + i] * bs[bo + i];
        return r;
    }

    @Override
    public Tensor forward(Frame f) {
        return map(f.inputs[0], this::value);
    }

    private Tensor slopes(Frame f) {
        return map(f.inputs[0], this::slope);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, times(slopes(f), gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : times(slopes(f), xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        boolean own = c.nonlinear() && xDot[0] != null;
        if (!out.wantsInput(0) || (gyDot == null && !own)) return;
        Tensor r = gyDot != null ? times(slopes(f), gyDot) : Tensor.zeros(f.inputs[0].shape());
        if (own) {
            float[] k = map(f.inputs[0], this::curvature).data();
            float[] rs = r.data(), xd = xDot[0].data(), g = gy.data();
            int xdo = xDot[0].offset(), go = gy.offset();
            for (int i = 0, n = rs.length; i < n; i++) rs[i] += k[i] * xd[xdo + i] * g[go + i];
        }
        out.input(0, r);
    }
}
