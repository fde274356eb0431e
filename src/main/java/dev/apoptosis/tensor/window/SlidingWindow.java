package dev.apoptosis.tensor.window;

/**
 * The arithmetic and checks that every 2-D sliding-window geometry shares ({@link ConvGeometry},
 * {@link PoolGeometry}): a window of {@code kernel} taps, {@code dilation} apart, moves
 * {@code stride} per output pixel over an input padded by {@code pad} on each side. One place
 * holds the output-size formula (PyTorch's, floor division) and the validation messages, so the
 * convolution and the poolings cannot drift apart on either.
 */
final class SlidingWindow {
    private SlidingWindow() {}

    /** Output positions along one axis: {@code (in + 2 pad - dilation (kernel - 1) - 1) / stride + 1}. */
    static long outSize(int in, int kernel, int stride, int pad, int dilation) {
        return (in + 2L * pad - (long) dilation * (kernel - 1) - 1) / stride + 1;
    }

    /** Throws unless {@code v >= 1}; {@code op} prefixes the message ("conv2d", "pool2d"). */
    static void positive(String op, String what, int v) {
        if (v < 1) throw new IllegalArgumentException(op + ": " + what + " must be >= 1, got " + v);
    }

    /**
     * Validates the window itself against an {@code inH x inW} input: kernel, stride and dilation
     * at least 1, padding at least 0, and the dilated {@code windowName} fitting inside the padded
     * input (an output of at least 1x1).
     */
    static void checkWindow(String op, String windowName, int inH, int inW, int kernelH, int kernelW,
                            int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
        positive(op, "kernelH", kernelH);
        positive(op, "kernelW", kernelW);
        positive(op, "strideH", strideH);
        positive(op, "strideW", strideW);
        positive(op, "dilationH", dilationH);
        positive(op, "dilationW", dilationW);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException(op + ": padding must be >= 0, got padH=" + padH + ", padW=" + padW);
        }
        long spanH = (long) dilationH * (kernelH - 1) + 1, spanW = (long) dilationW * (kernelW - 1) + 1;
        if (inH + 2L * padH < spanH || inW + 2L * padW < spanW) {
            throw new IllegalArgumentException(op + ": output size would be < 1: padded input " + (inH + 2L * padH)
                    + "x" + (inW + 2L * padW) + " is smaller than the dilated " + windowName + " " + spanH + "x" + spanW
                    + " (input " + inH + "x" + inW + ", " + windowName + " " + kernelH + "x" + kernelW + ", padding "
                    + padH + "x" + padW + ", dilation " + dilationH + "x" + dilationW + ")");
        }
    }
}
