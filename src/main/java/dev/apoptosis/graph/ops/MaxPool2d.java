package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.pool.Pool2dKernels;
import dev.apoptosis.tensor.window.PoolGeometry;

/**
 * Max pooling of an image sample [C, H, W] per channel, as PyTorch's {@code nn.MaxPool2d}
 * (ceil_mode optional, see {@link PoolGeometry}): each output is the largest input of its window (kernel, stride, zero
 * padding that never wins, dilation). The stride defaults to the kernel size; padding may be at most
 * half the kernel (see {@link PoolGeometry}).
 *
 * <p>Piecewise linear: forward records for every output the position of its maximum (the arg-max,
 * ties to the first position in window order), which fixes y = A x; the rules are
 * {@link Pool2dOp}'s, with A·v the gather of v at the arg-max positions and Aᵀ·u the scatter-add
 * of u onto them.
 */
public final class MaxPool2d extends Pool2dOp {
    /** Square window {@code kernel}, stride, padding, dilation. */
    public MaxPool2d(int kernel, int stride, int padding, int dilation) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {dilation, dilation});
    }

    /** Square window with stride = kernel, no padding, no dilation (the common 2×2/2 pooling is {@code new MaxPool2d(2)}). */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0, 1);
    }

    /** Separate height and width settings, each an {@code int[2]} of (height, width). */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation) {
        super(kernel, stride, padding, dilation);
    }

    /** As {@link #MaxPool2d(int[], int[], int[], int[])}, with PyTorch's {@code ceil_mode}. */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        super(kernel, stride, padding, dilation, ceilMode);
    }

    static MaxPool2d fromAttrs(Attrs a) {
        int[] k = a.getInts("kernel");
        return new MaxPool2d(k, a.has("stride") ? a.getInts("stride") : k, a.has("padding") ? a.getInts("padding") : new int[] {0, 0},
                a.has("dilation") ? a.getInts("dilation") : new int[] {1, 1}, a.getBool("ceilMode", false));
    }

    @Override public String kind() { return "MaxPool2d"; }

    @Override
    public Attrs attrs() {
        return windowAttrs().put("dilation", dilationH, dilationW).build();
    }

    @Override
    public Tensor forward(Frame f) {
        PoolGeometry g = geometry(f);
        int[] argmax = new int[g.outputSize()];
        Tensor y = Pool2dKernels.maxForward(g, f.inputs[0], argmax);
        f.saved = argmax;
        return y;
    }

    @Override
    Tensor apply(Frame f, PoolGeometry g, Tensor v) {
        return Pool2dKernels.gatherAtArgmax(g, v, (int[]) f.saved);
    }

    @Override
    Tensor applyTransposed(Frame f, PoolGeometry g, Tensor u) {
        return Pool2dKernels.maxBackward(g, u, (int[]) f.saved);
    }
}
