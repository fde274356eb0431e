package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import java.util.Arrays;
import java.util.Set;

/**
 * Residual join y = a + b of two inputs of identical shape (no broadcasting). Linear: adjoints and
 * R-adjoints pass unchanged to both inputs; tangents add.
 */
public final class Add extends Op {
    @Override public String kind() { return "Add"; }
    @Override public Attrs attrs() { return Attrs.empty(); }
    @Override public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR);
    }
    @Override public int arity() { return 2; }

    @Override
    public int[] outputShape(int[][] in) {
        if (!Arrays.equals(in[0], in[1])) {
            throw new IllegalArgumentException("Add: shape mismatch " + Arrays.toString(in[0]) + " vs " + Arrays.toString(in[1]));
        }
        return in[0].clone();
    }


    @Override
    public Tensor forward(Frame f) {
        // Addition commutes exactly, so summing into either donated input gives the same bits.
        if (f.donatedInput(0) != null) return Elementwise.addInPlace(f.inputs[1], f.inputs[0]);
        if (f.donatedInput(1) != null) return Elementwise.addInPlace(f.inputs[0], f.inputs[1]);
        return Elementwise.add(f.inputs[0], f.inputs[1]);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        out.input(0, gy);
        out.input(1, gy);
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        if (xDot[0] == null) return xDot[1];
        if (xDot[1] == null) return xDot[0];
        return Elementwise.add(xDot[0], xDot[1]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot == null) return;
        out.input(0, gyDot);
        out.input(1, gyDot);
    }
}
