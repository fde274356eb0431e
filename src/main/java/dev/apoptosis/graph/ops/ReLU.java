package dev.apoptosis.graph.ops;

import dev.apoptosis.autodiff.Adjoints;
import dev.apoptosis.autodiff.Curvature;
import dev.apoptosis.autodiff.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import java.util.Set;

/**
 * y = max(0, x). Piecewise linear: every rule multiplies by the mask [y > 0] and there is no
 * second-order term in any curvature mode.
 */
public final class ReLU extends Op {
    @Override public String kind() { return "ReLU"; }
    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR, OpProperty.CHANNEL_PRESERVING);
    }
    @Override public int arity() { return 1; }
    @Override public int[] outputShape(int[][] in) { return in[0].clone(); }
    @Override public int inputChannelAxis(int i, int[][] in) { return ChannelAxes.natural(in[0]); }
    @Override public int outputChannelAxis(int[][] in) { return ChannelAxes.natural(in[0]); }

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.inputs[0];
        Tensor y = Tensor.zeros(x.shape());
        float[] xs = x.data(), ys = y.data();
        int xo = x.offset();
        for (int i = 0, n = x.size(); i < n; i++) ys[i] = Math.max(0f, xs[xo + i]);
        return y;
    }

    /** t ⊙ [y > 0]: the Jacobian of ReLU, shared by all three derivative rules. */
    private static Tensor mask(Frame f, Tensor t) {
        Tensor y = f.output;
        Tensor r = Tensor.zeros(t.shape());
        float[] ys = y.data(), ts = t.data(), rs = r.data();
        int to = t.offset();
        for (int i = 0, n = r.size(); i < n; i++) rs[i] = ys[i] > 0f ? ts[to + i] : 0f;
        return r;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        out.input(0, mask(f, gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : mask(f, xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null) out.input(0, mask(f, gyDot));
    }
}
