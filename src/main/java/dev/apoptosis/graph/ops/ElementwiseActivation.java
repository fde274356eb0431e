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
 * A smooth activation applied to every element, y = φ(x), with its four rules written once in
 * terms of three kernels the subclasses (GELU, SiLU, Tanh) take from {@code dev.apoptosis.tensor}:
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
abstract class ElementwiseActivation extends Op {

    /** φ(x) as a new tensor. */
    protected abstract Tensor value(Tensor x);

    /** φ'(x) ⊙ v as a new tensor. */
    protected abstract Tensor slopeTimes(Tensor x, Tensor v);

    /** φ'(x) ⊙ ġ + φ''(x) ⊙ ẋ ⊙ g as a new tensor. */
    protected abstract Tensor withCurvature(Tensor x, Tensor g, Tensor gDot, Tensor xDot);

    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() { return Set.of(OpProperty.CHANNEL_PRESERVING); }
    @Override public int arity() { return 1; }
    @Override public int[] outputShape(int[][] in) { return in[0].clone(); }
    @Override public int inputChannelAxis(int i, int[][] in) { return ChannelAxes.natural(in[0]); }
    @Override public int outputChannelAxis(int[][] in) { return ChannelAxes.natural(in[0]); }

    @Override
    public Tensor forward(Frame f) {
        return value(f.inputs[0]);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, slopeTimes(f.inputs[0], gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : slopeTimes(f.inputs[0], xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (!out.wantsInput(0)) return;
        Tensor x = f.inputs[0];
        if (c.nonlinear() && xDot[0] != null) {
            out.input(0, withCurvature(x, gy, gyDot != null ? gyDot : Tensor.zeros(x.shape()), xDot[0]));
        } else if (gyDot != null) {
            out.input(0, slopeTimes(x, gyDot));
        }
    }
}
