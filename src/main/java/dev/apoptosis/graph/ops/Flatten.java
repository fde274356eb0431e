package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Flattens a sample of any rank to a vector: [C, H, W] to [C·H·W] in row-major order (PyTorch's
 * {@code nn.Flatten()}). Output and adjoints are views of their sources: no values move.
 *
 * <p>Channels: for an image [C, H, W], input channel c becomes the block of features
 * [c·H·W, (c+1)·H·W) of the output, which is how pruning follows a channel into the Linear that
 * reads it (the Flattening rule of {@code dev.apoptosis.prune.channels}).
 *
 * <p>Linear: all rules reshape (backward and rBackward back to the input shape, tangent to the output shape).
 */
public final class Flatten extends Op {
    @Override public String kind() { return "Flatten"; }
    @Override public Attrs attrs() { return Attrs.empty(); }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR, OpProperty.INDEX_REMAPPING);
    }

    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length == 0) throw new IllegalArgumentException("Flatten: input must have at least one axis, got " + Arrays.toString(in[0]));
        int n = 1;
        for (int d : in[0]) n *= d;
        return new int[] {n};
    }

    /** How many consecutive output features one input channel (along axis 0) becomes. */
    public static int featuresPerChannel(int[] inputShape) {
        int n = 1;
        for (int i = 1; i < inputShape.length; i++) n *= inputShape[i];
        return n;
    }



    @Override
    public Tensor forward(Frame f) {
        return f.inputs[0].reshape(f.batch(), -1);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, gy.reshape(f.inputs[0].shape()));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : xDot[0].reshape(f.batch(), -1);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, gyDot.reshape(f.inputs[0].shape()));
    }
}
