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
 * Max pooling of an image sample [C, H, W] per channel, as PyTorch's {@code nn.MaxPool2d} with
 * {@code ceil_mode=False}: each output is the largest input of its window (kernel, stride, zero
 * padding that never wins, dilation). The stride defaults to the kernel size; padding may be at most
 * half the kernel (see {@link PoolGeometry}).
 *
 * <p>Piecewise linear: forward records for every output the position of its maximum (the arg-max,
 * ties to the first position in window order), and every derivative rule reuses it.
 * <ul>
 * <li>backward: g_x = scatter-add of g_y onto the arg-max positions</li>
 * <li>tangent: ẏ = ẋ gathered at the arg-max positions</li>
 * <li>rBackward: ġ_x = scatter-add of ġ_y; no second-order term in any curvature mode.</li>
 * </ul>
 */
public final class MaxPool2d extends Op {
    private final int kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW;

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
        kernelH = kernel[0];
        kernelW = kernel[1];
        strideH = stride[0];
        strideW = stride[1];
        padH = padding[0];
        padW = padding[1];
        dilationH = dilation[0];
        dilationW = dilation[1];
        for (int[] p : new int[][] {kernel, stride, padding, dilation}) {
            if (p.length != 2) throw new IllegalArgumentException("MaxPool2d: settings are (height, width) pairs, got " + Arrays.toString(p));
        }
        // Validate the settings themselves on a nominal input large enough for any window.
        geometry(1, new int[] {1, Math.max(1, dilationH * (kernelH - 1) + 1), Math.max(1, dilationW * (kernelW - 1) + 1)});
    }

    static MaxPool2d fromAttrs(Attrs a) {
        int[] k = a.getInts("kernel");
        return new MaxPool2d(k, a.has("stride") ? a.getInts("stride") : k, a.has("padding") ? a.getInts("padding") : new int[] {0, 0},
                a.has("dilation") ? a.getInts("dilation") : new int[] {1, 1});
    }

    @Override public String kind() { return "MaxPool2d"; }

    @Override
    public Attrs attrs() {
        return Attrs.builder().put("kernel", kernelH, kernelW).put("stride", strideH, strideW).put("padding", padH, padW)
                .put("dilation", dilationH, dilationW).build();
    }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR, OpProperty.CHANNEL_PRESERVING);
    }

    @Override public int arity() { return 1; }

    private PoolGeometry geometry(int n, int[] in) {
        if (in.length != 3) throw new IllegalArgumentException("MaxPool2d: input must be an image [C, H, W], got " + Arrays.toString(in));
        try {
            return new PoolGeometry(n, in[0], in[1], in[2], kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MaxPool2d: input " + Arrays.toString(in) + ": " + e.getMessage(), e);
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
        PoolGeometry g = geometry(f);
        int[] argmax = new int[g.outputSize()];
        Tensor y = Pool2dKernels.maxForward(g, f.inputs[0], argmax);
        f.saved = argmax;
        return y;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, Pool2dKernels.maxBackward(geometry(f), gy, (int[]) f.saved));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : Pool2dKernels.gatherAtArgmax(geometry(f), xDot[0], (int[]) f.saved);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, Pool2dKernels.maxBackward(geometry(f), gyDot, (int[]) f.saved));
    }
}
