package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Relu;
import java.util.Set;

/**
 * y = max(0, x). Piecewise linear: every rule multiplies by the mask [y > 0] and there is no
 * second-order term in any curvature mode. The arithmetic is {@link Relu}'s (vectorised, threaded).
 */
public final class ReLU extends ElementwiseUnaryOp {
    @Override public String kind() { return "ReLU"; }
    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR, OpProperty.READS_OWN_OUTPUT);
    }

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.donatedInput(0);
        if (x == null) return Relu.forward(f.inputs[0]);
        Relu.forward(x.data(), x.offset(), x.data(), x.offset(), x.size());
        return x;
    }

    /** t ⊙ [y > 0]: the Jacobian of ReLU, shared by all three derivative rules (y has x's sign pattern). */
    private static Tensor mask(Frame f, Tensor t) {
        return Relu.backward(f.output, t);
    }

    /** {@link #mask(Frame, Tensor)} written over t itself when the engine has donated it. */
    private static Tensor mask(Frame f, Tensor t, boolean inPlace) {
        if (!inPlace) return mask(f, t);
        Relu.backward(f.output.data(), f.output.offset(), t.data(), t.offset(), t.data(), t.offset(), t.size());
        return t;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        out.inputNew(0, mask(f, gy, out.donatedOutputAdjoint() != null));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : mask(f, xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null) out.inputNew(0, mask(f, gyDot, out.donatedOutputAdjoint() != null));
    }
}
