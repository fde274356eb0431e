package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.ActivationKernels;
import java.util.Set;

/**
 * A smooth activation applied to every element, y = φ(x), with its four rules written once in
 * terms of the three {@link ActivationKernels} that each subclass (GELU, SiLU, Tanh) names:
 * <ul>
 * <li>forward: y = φ(x)</li>
 * <li>backward: g_x = φ'(x) ⊙ g_y</li>
 * <li>tangent: ẏ = φ'(x) ⊙ ẋ</li>
 * <li>rBackward: ġ_x = φ'(x) ⊙ ġ_y [+ φ''(x) ⊙ ẋ ⊙ g_y]; the bracketed term is the activation's own
 *     curvature, included iff {@link Curvature#nonlinear()}.</li>
 * </ul>
 * φ' and φ'' are recomputed from the kept input x inside the kernels rather than stored, so an
 * importance pass holds no more memory than the forward.
 */
abstract class ElementwiseActivation extends ElementwiseUnaryOp {
    private final ActivationKernels kernels;

    ElementwiseActivation(ActivationKernels kernels) {
        this.kernels = kernels;
    }

    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() { return Set.of(); }

    @Override
    public Tensor forward(Frame f) {
        return kernels.forward(f.inputs[0]);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (!out.wantsInput(0)) return;
        Tensor x = f.inputs[0];
        if (out.donatedOutputAdjoint() == null) {
            out.inputNew(0, kernels.backward(x, gy));
            return;
        }
        // φ'(x)·g written over the donated g (the kernels allow in place).
        kernels.backward(x.data(), x.offset(), gy.data(), gy.offset(), gy.data(), gy.offset(), gy.size());
        out.inputNew(0, gy);
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : kernels.backward(f.inputs[0], xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (!out.wantsInput(0)) return;
        Tensor x = f.inputs[0];
        if (c.nonlinear() && xDot[0] != null) {
            out.input(0, kernels.rBackward(x, gy, gyDot != null ? gyDot : Tensor.zeros(x.shape()), xDot[0]));
        } else if (gyDot != null) {
            out.input(0, kernels.backward(x, gyDot));
        }
    }
}
