package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.pool.Pool2dKernels;
import java.util.Arrays;
import java.util.Set;

/**
 * Global average pooling: an image sample [C, H, W] to the vector [C] of its plane means (PyTorch's
 * {@code AdaptiveAvgPool2d(1)} followed by flattening). Channel c of the input is feature c of the output.
 *
 * <p>Linear: backward and rBackward spread g_y (ġ_y) evenly, g/(H·W), over each plane; the tangent is
 * the plane mean of ẋ; no second-order term in any curvature mode.
 */
public final class GlobalAvgPool extends Op {
    @Override public String kind() { return "GlobalAvgPool"; }
    @Override public Attrs attrs() { return Attrs.empty(); }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR);
    }

    @Override public int arity() { return 1; }

    @Override
    public int[] outputShape(int[][] in) {
        if (in[0].length != 3) throw new IllegalArgumentException("GlobalAvgPool: input must be an image [C, H, W], got " + Arrays.toString(in[0]));
        return new int[] {in[0][0]};
    }


    @Override
    public Tensor forward(Frame f) {
        return Pool2dKernels.globalAvgForward(f.inputs[0]);
    }

    private static Tensor spread(Frame f, Tensor g) {
        Tensor x = f.inputs[0];
        return Pool2dKernels.globalAvgBackward(g, x.dim(2), x.dim(3));
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, spread(f, gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : Pool2dKernels.globalAvgForward(xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, spread(f, gyDot));
    }
}
