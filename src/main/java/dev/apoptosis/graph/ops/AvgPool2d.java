package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.pool.Pool2dKernels;
import dev.apoptosis.tensor.window.PoolGeometry;

/**
 * Average pooling of an image sample [C, H, W] per channel, as PyTorch's {@code nn.AvgPool2d}
 * (ceil_mode optional, see {@link PoolGeometry}): each output is its window's sum divided by the
 * number of its positions inside the padded image ({@code countIncludePad}, PyTorch's default: the
 * kernel area but for a ceil-mode window's overhang) or inside the image itself.
 * The stride defaults to the kernel size; padding may be at most half the kernel.
 *
 * <p>Linear (y = A x for a fixed matrix A); the rules are {@link Pool2dOp}'s, with A·v the same
 * average pooling and Aᵀ·u each u spread evenly over its window.
 */
public final class AvgPool2d extends Pool2dOp {
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
        this(kernel, stride, padding, countIncludePad, false);
    }

    /** As {@link #AvgPool2d(int[], int[], int[], boolean)}, with PyTorch's {@code ceil_mode}. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean countIncludePad, boolean ceilMode) {
        super(kernel, stride, padding, new int[] {1, 1}, ceilMode);
        this.countIncludePad = countIncludePad;
    }

    static AvgPool2d fromAttrs(Attrs a) {
        int[] k = a.getInts("kernel");
        return new AvgPool2d(k, a.has("stride") ? a.getInts("stride") : k, a.has("padding") ? a.getInts("padding") : new int[] {0, 0},
                a.getBool("countIncludePad", true), a.getBool("ceilMode", false));
    }

    @Override public String kind() { return "AvgPool2d"; }

    @Override
    public Attrs attrs() {
        return windowAttrs().put("countIncludePad", countIncludePad).build();
    }

    @Override
    public Tensor forward(Frame f) {
        return apply(f, geometry(f), f.inputs[0]);
    }

    @Override
    Tensor apply(Frame f, PoolGeometry g, Tensor v) {
        return Pool2dKernels.avgForward(g, v, countIncludePad);
    }

    @Override
    Tensor applyTransposed(Frame f, PoolGeometry g, Tensor u) {
        return Pool2dKernels.avgBackward(g, u, countIncludePad);
    }
}
