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
 * Reshapes each sample to a target sample shape with the same number of values, in row-major order
 * (PyTorch's {@code x.reshape(N, *shape)}); one target dimension may be -1 and is inferred. Output
 * and adjoints are views of their sources.
 *
 * <p>Channels: a reshape can split or merge any axes; pruning follows channels through it by
 * re-cutting the input's axes into the target sizes (the Reshaping rule of
 * {@code dev.apoptosis.prune.channels}), and pins what does not line up.
 *
 * <p>Linear: all rules reshape (backward and rBackward back to the input shape, tangent to the output shape).
 */
public final class Reshape extends Op {
    private final int[] target;

    /** Target sample shape (no batch dimension); at most one entry may be -1. */
    public Reshape(int... sampleShape) {
        if (sampleShape.length == 0) throw new IllegalArgumentException("Reshape: target shape is empty");
        int inferred = 0;
        for (int d : sampleShape) {
            if (d == -1) inferred++;
            else if (d <= 0) throw new IllegalArgumentException("Reshape: target dimensions must be positive or -1, got " + Arrays.toString(sampleShape));
        }
        if (inferred > 1) throw new IllegalArgumentException("Reshape: at most one -1 in target shape, got " + Arrays.toString(sampleShape));
        this.target = sampleShape.clone();
    }

    static Reshape fromAttrs(Attrs a) {
        return new Reshape(a.getInts("shape"));
    }

    @Override public String kind() { return "Reshape"; }
    @Override public Attrs attrs() { return Attrs.builder().put("shape", target).build(); }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR, OpProperty.INDEX_REMAPPING);
    }

    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        long size = 1;
        for (int d : in[0]) size *= d;
        long known = 1;
        int infer = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) infer = i;
            else known *= target[i];
        }
        int[] s = target.clone();
        if (infer >= 0) {
            if (size % known != 0) {
                throw new IllegalArgumentException("Reshape: cannot reshape input " + Arrays.toString(in[0]) + " to " + Arrays.toString(target));
            }
            s[infer] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException("Reshape: input " + Arrays.toString(in[0]) + " (" + size + " values) does not fit "
                    + Arrays.toString(target) + " (" + known + " values)");
        }
        return s;
    }

    private static int[] withBatch(int n, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = n;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    private Tensor toOutput(Frame f, Tensor t) {
        return t.reshape(withBatch(f.batch(), f.node.outputShape()));
    }

    @Override
    public Tensor forward(Frame f) {
        return toOutput(f, f.inputs[0]);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, gy.reshape(f.inputs[0].shape()));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : toOutput(f, xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, gyDot.reshape(f.inputs[0].shape()));
    }
}
