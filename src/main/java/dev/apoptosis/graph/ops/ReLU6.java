package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import java.util.Set;

/**
 * y = min(max(0, x), 6), PyTorch's {@code nn.ReLU6} (MobileNet's activation; ONNX writes it as Clip
 * with bounds 0 and 6). Piecewise linear: every rule multiplies by the mask [0 < y < 6] (y is
 * strictly inside the bounds exactly where x is) and there is no second-order term in any
 * curvature mode. At the kinks (x = 0, x = 6) the derivative is taken as 0, as PyTorch does.
 */
public final class ReLU6 extends ElementwiseUnaryOp {
    @Override public String kind() { return "ReLU6"; }
    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR, OpProperty.READS_OWN_OUTPUT);
    }

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.inputs[0];
        Tensor y = Tensor.zeros(x.shape());
        float[] xs = x.data(), ys = y.data();
        int xo = x.offset();
        for (int i = 0, n = x.size(); i < n; i++) ys[i] = Math.min(Math.max(xs[xo + i], 0f), 6f);
        return y;
    }

    /** t ⊙ [0 < y < 6]: the Jacobian of ReLU6, shared by all three derivative rules. */
    private static Tensor mask(Frame f, Tensor t) {
        Tensor out = Tensor.zeros(t.shape());
        float[] ys = f.output.data(), ts = t.data(), os = out.data();
        int yo = f.output.offset(), to = t.offset();
        for (int i = 0, n = t.size(); i < n; i++) {
            float y = ys[yo + i];
            os[i] = y > 0f && y < 6f ? ts[to + i] : 0f;
        }
        return out;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.inputNew(0, mask(f, gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : mask(f, xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.inputNew(0, mask(f, gyDot));
    }
}
