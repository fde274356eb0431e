package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.reduce.SoftmaxKernels;
import java.util.Arrays;
import java.util.Set;

/**
 * Softmax over the last axis: each row x (length n) maps to s = e^{x − max x} / Σ e^{x − max x}.
 * Attention applies it to the scores [H, T, T] row by row. ⟨a, b⟩ below is the sum over the row.
 *
 * <p>Rules (per row; J = diag(s) − s sᵀ is symmetric):
 * <ul>
 * <li>forward: s = softmax(x)</li>
 * <li>backward: g_x = s ⊙ (g_y − ⟨s, g_y⟩)</li>
 * <li>tangent: ṡ = s ⊙ (ẋ − ⟨s, ẋ⟩)</li>
 * <li>rBackward: ġ_x = s ⊙ (ġ_y − ⟨s, ġ_y⟩) [+ ṡ ⊙ (g_y − ⟨s, g_y⟩) − s ⊙ ⟨ṡ, g_y⟩]; the bracket is the
 *     derivative of the backward rule along ẋ with g_y held fixed (softmax's own curvature),
 *     included iff {@link Curvature#nonlinear()}.</li>
 * </ul>
 * The kernels are {@link SoftmaxKernels}' (row sums in double, rows split across threads).
 */
public final class Softmax extends Op {
    @Override public String kind() { return "Softmax"; }
    @Override public Attrs attrs() { return Attrs.empty(); }
    /** No channel property: the row couples all positions of the last axis (keys in attention). */
    @Override public Set<OpProperty> properties() { return Set.of(OpProperty.READS_OWN_OUTPUT); }
    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length < 1) throw new IllegalArgumentException("Softmax: input must have at least one axis, got " + Arrays.toString(in[0]));
        return in[0].clone();
    }

    @Override
    public Tensor forward(Frame f) {
        return SoftmaxKernels.softmax(f.inputs[0]);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, SoftmaxKernels.softmaxVjp(f.output, gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : SoftmaxKernels.softmaxJvp(f.output, xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (!out.wantsInput(0)) return;
        Tensor s = f.output;
        if (gyDot != null) out.input(0, SoftmaxKernels.softmaxVjp(s, gyDot));
        if (c.nonlinear() && xDot[0] != null) {
            out.input(0, SoftmaxKernels.softmaxSecondOrder(s, SoftmaxKernels.softmaxJvp(s, xDot[0]), gy));
        }
    }
}
