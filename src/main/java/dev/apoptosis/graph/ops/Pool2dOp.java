package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.PoolGeometry;
import java.util.Arrays;
import java.util.Set;

/**
 * What every 2-D pooling of an image sample [C, H, W] shares ({@link AvgPool2d},
 * {@link MaxPool2d}): the window settings as (height, width) pairs, their validation, the
 * {@link PoolGeometry} of an input, the output shape, channel axes, and the four rules.
 *
 * <p>A pooling is linear in its input once the forward has fixed it (average pooling always, max
 * pooling once its arg-max is recorded): y = A x. So with the subclass's {@link #apply} (A·v) and
 * {@link #applyTransposed} (Aᵀ·u):
 * <ul>
 * <li>backward: g_x = Aᵀ g_y</li>
 * <li>tangent: ẏ = A ẋ</li>
 * <li>rBackward: ġ_x = Aᵀ ġ_y; no second-order term in any curvature mode.</li>
 * </ul>
 */
abstract class Pool2dOp extends Op {
    final int kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW;
    /** Ceiling division for the output size ({@code ceil_mode}): a last, partial window covers the remainder. */
    final boolean ceilMode;

    /** Each setting an {@code int[2]} of (height, width); validated on a nominal input that fits any window. */
    Pool2dOp(int[] kernel, int[] stride, int[] padding, int[] dilation) {
        this(kernel, stride, padding, dilation, false);
    }

    Pool2dOp(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        for (int[] p : new int[][] {kernel, stride, padding, dilation}) {
            if (p.length != 2) {
                throw new IllegalArgumentException(kind() + ": settings are (height, width) pairs, got " + Arrays.toString(p));
            }
        }
        kernelH = kernel[0];
        kernelW = kernel[1];
        strideH = stride[0];
        strideW = stride[1];
        padH = padding[0];
        padW = padding[1];
        dilationH = dilation[0];
        dilationW = dilation[1];
        this.ceilMode = ceilMode;
        geometry(1, new int[] {1, Math.max(1, dilationH * (kernelH - 1) + 1), Math.max(1, dilationW * (kernelW - 1) + 1)});
    }

    /** The kernel, stride and padding attributes (and ceilMode when set); subclasses add their own. */
    Attrs.Builder windowAttrs() {
        Attrs.Builder b = Attrs.builder().put("kernel", kernelH, kernelW).put("stride", strideH, strideW).put("padding", padH, padW);
        return ceilMode ? b.put("ceilMode", true) : b;
    }

    /** A·v: the pooling as the linear map the forward of {@code f} fixed. */
    abstract Tensor apply(Frame f, PoolGeometry g, Tensor v);

    /** Aᵀ·u: the transpose of {@link #apply}, spreading each output value back over its window. */
    abstract Tensor applyTransposed(Frame f, PoolGeometry g, Tensor u);

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR);
    }

    @Override public int arity() { return 1; }

    PoolGeometry geometry(int n, int[] in) {
        if (in.length != 3) throw new IllegalArgumentException(kind() + ": input must be an image [C, H, W], got " + Arrays.toString(in));
        try {
            return new PoolGeometry(n, in[0], in[1], in[2], kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW,
                    ceilMode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind() + ": input " + Arrays.toString(in) + ": " + e.getMessage(), e);
        }
    }

    PoolGeometry geometry(Frame f) {
        int[] s = f.inputs[0].shape();
        return geometry(s[0], Arrays.copyOfRange(s, 1, s.length));
    }

    @Override
    public int[] outputShape(int[][] in) {
        PoolGeometry g = geometry(1, in[0]);
        return new int[] {in[0][0], g.outH(), g.outW()};
    }


    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, applyTransposed(f, geometry(f), gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : apply(f, geometry(f), xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, applyTransposed(f, geometry(f), gyDot));
    }
}
