package dev.apoptosis.tensor.window;

/**
 * The fluent setters that every sliding-window geometry builder shares (batch, input, kernel,
 * stride, padding, dilation). {@code B} is the concrete builder, so each setter returns it and
 * calls chain into the builder's own setters ({@code outChannels}, {@code groups}) and
 * {@code build()}. Defaults: batch 1, padding 0, dilation 1; the stride stays unset until given,
 * and each geometry decides what an unset stride means ({@link #strideH(int)}).
 *
 * <p>Values are not checked here: the geometry's constructor validates whatever is built.
 */
abstract class WindowBuilder<B extends WindowBuilder<B>> {
    int n = 1, channels, inH, inW, kernelH, kernelW, padH, padW, dilationH = 1, dilationW = 1;
    private int strideH, strideW;
    private boolean strideSet;

    WindowBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public B batch(int n) {
        this.n = n;
        return self();
    }

    /** Input channels and spatial size. */
    public B input(int channels, int h, int w) {
        this.channels = channels;
        this.inH = h;
        this.inW = w;
        return self();
    }

    public B kernel(int k) {
        return kernel(k, k);
    }

    public B kernel(int kh, int kw) {
        this.kernelH = kh;
        this.kernelW = kw;
        return self();
    }

    public B stride(int s) {
        return stride(s, s);
    }

    public B stride(int sh, int sw) {
        this.strideH = sh;
        this.strideW = sw;
        this.strideSet = true;
        return self();
    }

    public B padding(int p) {
        return padding(p, p);
    }

    public B padding(int ph, int pw) {
        this.padH = ph;
        this.padW = pw;
        return self();
    }

    public B dilation(int d) {
        return dilation(d, d);
    }

    public B dilation(int dh, int dw) {
        this.dilationH = dh;
        this.dilationW = dw;
        return self();
    }

    /** The vertical stride given, or {@code whenUnset} if {@link #stride} was never called. */
    int strideH(int whenUnset) {
        return strideSet ? strideH : whenUnset;
    }

    /** The horizontal stride given, or {@code whenUnset} if {@link #stride} was never called. */
    int strideW(int whenUnset) {
        return strideSet ? strideW : whenUnset;
    }
}
