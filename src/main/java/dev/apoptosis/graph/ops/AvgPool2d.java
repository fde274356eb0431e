package dev.apoptosis.graph.ops;

import dev.apoptosis.autodiff.Adjoints;
import dev.apoptosis.autodiff.Curvature;
import dev.apoptosis.autodiff.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Pool2dKernels;
import dev.apoptosis.tensor.PoolGeometry;
import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Average pooling of an image sample [C, H, W] per channel, as PyTorch's {@code nn.AvgPool2d} with
 * {@code ceil_mode=False}: each output is its window's sum divided by the kernel area
 * ({@code countIncludePad}, PyTorch's default) or by the number of window positions inside the image.
 * The stride defaults to the kernel size; padding may be at most half the kernel.
 *
 * <p>Linear (y = A x for a fixed matrix A), so every rule is A or Aᵀ:
 * <ul>
 * <li>backward: g_x = Aᵀ g_y (each g_y spread evenly over its window)</li>
 * <li>tangent: ẏ = A ẋ</li>
 * <li>rBackward: ġ_x = Aᵀ ġ_y; no second-order term in any curvature mode.</li>
 * </ul>
 */
public final class AvgPool2d extends Op {
    private final int kernelH, kernelW, strideH, strideW, padH, padW;
    private final boolean countIncludePad;

    /** Square window, stride and padding; divisor includes padding (PyTorch's default). */
    public AvgPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, true);
    }

    /** Square window with stride = kernel and no padding ({@code new AvgPool2d(2)} halves H and W). */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /** Separate (height, width) settings and the divisor rule. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        for (int[] p : new int[][] {kernel, stride, padding}) {
            if (p.length != 2) throw new IllegalArgumentException("AvgPool2d: settings are (height, width) pairs, got " + Arrays.toString(p));
        }
        kernelH = kernel[0];
        kernelW = kernel[1];
        strideH = stride[0];
        strideW = stride[1];
        padH = padding[0];
        padW = padding[1];
        this.countIncludePad = countIncludePad;
        geometry(1, new int[] {1, Math.max(kernelH, 1), Math.max(kernelW, 1)});
    }

    static AvgPool2d fromAttrs(Attrs a) {
        int[] k = a.getInts("kernel");
        return new AvgPool2d(k, a.has("stride") ? a.getInts("stride") : k, a.has("padding") ? a.getInts("padding") : new int[] {0, 0},
                a.getBool("countIncludePad", true));
    }

    @Override public String kind() { return "AvgPool2d"; }

    @Override
    public Attrs attrs() {
        return Attrs.builder().put("kernel", kernelH, kernelW).put("stride", strideH, strideW).put("padding", padH, padW)
                .put("countIncludePad", countIncludePad).build();
    }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR, OpProperty.CHANNEL_PRESERVING);
    }

    @Override public int arity() { return 1; }

    private PoolGeometry geometry(int n, int[] in) {
        if (in.length != 3) throw new IllegalArgumentException("AvgPool2d: input must be an image [C, H, W], got " + Arrays.toString(in));
        try {
            return new PoolGeometry(n, in[0], in[1], in[2], kernelH, kernelW, strideH, strideW, padH, padW, 1, 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AvgPool2d: input " + Arrays.toString(in) + ": " + e.getMessage(), e);
        }
    }

    private PoolGeometry geometry(Frame f) {
        int[] s = f.inputs[0].shape();
        return geometry(s[0], Arrays.copyOfRange(s, 1, s.length));
    }

    @Override
    public int[] outputShape(int[][] in) {
        PoolGeometry g = geometry(1, in[0]);
        return new int[] {in[0][0], g.outH(), g.outW()};
    }

    @Override public int inputChannelAxis(int i, int[][] in) { return 0; }
    @Override public int outputChannelAxis(int[][] in) { return 0; }

    @Override
    public Tensor forward(Frame f) {
        return Pool2dKernels.avgForward(geometry(f), f.inputs[0], countIncludePad);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, Pool2dKernels.avgBackward(geometry(f), gy, countIncludePad));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : Pool2dKernels.avgForward(geometry(f), xDot[0], countIncludePad);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, Pool2dKernels.avgBackward(geometry(f), gyDot, countIncludePad));
    }
}
