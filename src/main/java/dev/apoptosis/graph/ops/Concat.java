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
 * Concatenates any number of inputs along their channel axis (axis 0 of an image [C, H, W], the
 * last axis of a vector [D] or tokens [T, D]), as {@code torch.cat} along
 * that axis: the output's channels are input 0's, then input 1's, and so on. All other dimensions
 * must agree.
 *
 * <p>Linear: backward and rBackward cut g_y (ġ_y) into the inputs' channel ranges; the tangent
 * concatenates the input tangents (a missing one counts as zeros); no second-order term.
 */
public final class Concat extends Op {
    @Override public String kind() { return "Concat"; }
    @Override public Attrs attrs() { return Attrs.empty(); }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR);
    }

    @Override public int arity() { return -1; }

    @Override
    public int[] outputShape(int[][] in) {
        int[] first = in[0];
        if (first.length == 0) throw new IllegalArgumentException("Concat: inputs need a channel axis, got shape " + Arrays.toString(first));
        int axis = concatAxis(first);
        int[] s = first.clone();
        for (int i = 1; i < in.length; i++) {
            boolean ok = in[i].length == first.length;
            for (int d = 0; ok && d < first.length; d++) ok = d == axis || in[i][d] == first[d];
            if (!ok) {
                throw new IllegalArgumentException("Concat: input " + i + " has shape " + Arrays.toString(in[i]) + ", incompatible with input 0's "
                        + Arrays.toString(first) + " (only axis " + axis + " may differ)");
            }
            s[axis] += in[i][axis];
        }
        return s;
    }


    /** The axis of a sample shape that inputs are joined along: 0 of an image [C, H, W], else the last. */
    public static int concatAxis(int[] sampleShape) {
        return sampleShape.length == 3 ? 0 : sampleShape.length - 1;
    }

    /** Layout of the batch tensors around the channel axis (index {@code axis} with the batch first): [outer, channels, inner]. */
    private record Layout(int axis, int outer, int inner, int[] channels, int total) {}

    private static Layout layout(Frame f) {
        int[] s0 = f.inputs[0].shape();
        int axis = concatAxis(Arrays.copyOfRange(s0, 1, s0.length)) + 1;
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= s0[d];
        for (int d = axis + 1; d < s0.length; d++) inner *= s0[d];
        int[] ch = new int[f.inputs.length];
        int total = 0;
        for (int i = 0; i < ch.length; i++) {
            ch[i] = f.inputs[i].dim(axis);
            total += ch[i];
        }
        return new Layout(axis, outer, inner, ch, total);
    }

    /** Concatenates {@code parts} (null = zeros) into a tensor of the output shape. */
    private static Tensor join(Frame f, Layout l, Tensor[] parts) {
        int[] shape = f.inputs[0].shape();
        shape[l.axis] = l.total;
        Tensor y = Tensor.zeros(shape);
        float[] yd = y.data();
        int rowOut = l.total * l.inner;
        int start = 0;
        for (int i = 0; i < parts.length; i++) {
            int len = l.channels[i] * l.inner;
            if (parts[i] != null) {
                float[] pd = parts[i].data();
                int po = parts[i].offset();
                for (int o = 0; o < l.outer; o++) System.arraycopy(pd, po + o * len, yd, o * rowOut + start, len);
            }
            start += len;
        }
        return y;
    }

    /** Cuts {@code g} (output shape) into the inputs' blocks and delivers each wanted one. */
    private static void split(Frame f, Layout l, Tensor g, Adjoints out) {
        float[] gd = g.data();
        int go = g.offset(), rowOut = l.total * l.inner;
        int start = 0;
        for (int i = 0; i < l.channels.length; i++) {
            int len = l.channels[i] * l.inner;
            if (out.wantsInput(i)) {
                Tensor gi = Tensor.zeros(f.inputs[i].shape());
                float[] gid = gi.data();
                for (int o = 0; o < l.outer; o++) System.arraycopy(gd, go + o * rowOut + start, gid, o * len, len);
                out.input(i, gi);
            }
            start += len;
        }
    }

    @Override
    public Tensor forward(Frame f) {
        return join(f, layout(f), f.inputs);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        split(f, layout(f), gy, out);
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return allNull(xDot) ? null : join(f, layout(f), xDot);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null) split(f, layout(f), gyDot, out);
    }
}
