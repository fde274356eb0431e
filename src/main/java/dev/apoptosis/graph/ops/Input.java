package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import java.util.Set;

/** A graph input: the executor feeds it a batch of the declared sample shape. It has no rules of its own. */
public final class Input extends Op {
    private final int[] shape;

    public Input(int... sampleShape) {
        for (int d : sampleShape) if (d <= 0) throw new IllegalArgumentException("Input: non-positive dimension in " + java.util.Arrays.toString(sampleShape));
        this.shape = sampleShape.clone();
    }

    static Input fromAttrs(Attrs a) {
        return new Input(a.getInts("shape"));
    }

    @Override public String kind() { return "Input"; }
    @Override public Attrs attrs() { return Attrs.builder().put("shape", shape).build(); }
    @Override public Set<OpProperty> properties() { return Set.of(); }
    @Override public int arity() { return 0; }
    @Override public int[] outputShape(int[][] in) { return shape.clone(); }

    @Override public Tensor forward(Frame f) {
        throw new IllegalStateException("Input '" + f.name() + "' is fed by the executor, not computed");
    }
    @Override public void backward(Frame f, Tensor gy, Adjoints out) {}
    @Override public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) { return null; }
    @Override public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {}
}
