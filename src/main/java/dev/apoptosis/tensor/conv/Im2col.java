package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * Unfolds convolution windows into a patch matrix (im2col) and folds a patch matrix back into an
 * image with summation (col2im), which turns a convolution into one matrix multiply per image.
 *
 * <p>For {@code C} input planes of one image, the patch matrix has {@code C * kH * kW} rows, row
 * {@code (c * kH + kh) * kW + kw} holding, for every output pixel {@code (oh, ow)} in row-major
 * order, the input value under filter tap {@code (kh, kw)}: {@code x[c, oh*sH - pH + kh*dH,
 * ow*sW - pW + kw*dW]}, or 0 where that position falls in the padding. Multiplying the weight
 * matrix {@code [Cout, C*kH*kW]} by it gives the output planes; multiplying the transposed weight by
 * output gradients gives patch gradients, which col2im adds back onto the positions they were read
 * from (a position read by several taps receives the sum).
 *
 * <p>Rows of the patch matrix have a caller-chosen leading dimension {@code ld} so several images can
 * share one matrix side by side (their columns at offsets {@code 0, P, 2P, ...}).
 *
 * <p>Both directions first compute, per tap, the range of output coordinates whose input coordinate
 * is inside the image, so the inner loops have no per-element bounds tests: for stride 1 they are
 * contiguous copies and adds ({@link RowOps}, vectorised), and in the common "same width" case one
 * long copy or add per tap (see {@link #rowsAreContiguous}).
 */
final class Im2col {
    private Im2col() {}

    /** First output index {@code o} with {@code o*stride - pad + tap >= 0}. */
    static int firstValid(int pad, int tap, int stride) {
        int a = pad - tap;
        return a <= 0 ? 0 : (a + stride - 1) / stride;
    }

    /** One past the last output index {@code o < out} with {@code o*stride - pad + tap < in}. */
    static int endValid(int in, int pad, int tap, int stride, int out) {
        int b = in - 1 + pad - tap;
        return b < 0 ? 0 : Math.min(out, b / stride + 1);
    }

    /**
     * Writes the patch matrix of {@code channels} planes starting at {@code x[xOff]} into
     * {@code col} at {@code colOff} with row stride {@code ld}: {@code channels*kH*kW} rows of
     * {@code outH*outW} values each.
     */
    static void im2col(ConvGeometry g, float[] x, int xOff, int channels, float[] col, int colOff, int ld) {
        if (rowsAreContiguous(g)) {
            im2colContiguous(g, x, xOff, channels, col, colOff, ld);
            return;
        }
        final int plane = g.inH() * g.inW(), oh = g.outH(), ow = g.outW(), taps = g.kernelH() * g.kernelW();
        final int rowStep = g.strideH() * g.inW(), sw = g.strideW();
        final ConvTaps t = ConvTaps.of(g);
        for (int c = 0; c < channels; c++) {
            int xp = xOff + c * plane;
            for (int k = 0; k < taps; k++) {
                int row = colOff + (c * taps + k) * ld;
                int rowLo = t.rowLo()[k], rowHi = t.rowHi()[k], lo = t.colLo()[k], len = t.len()[k], hi = lo + len;
                int inStart = xp + t.inStart()[k];
                for (int r = 0; r < oh; r++) {
                    int d = row + r * ow;
                    if (r < rowLo || r >= rowHi || len == 0) {
                        zero(col, d, d + ow);
                        continue;
                    }
                    zero(col, d, d + lo);
                    int s = inStart + r * rowStep;
                    if (sw == 1) {
                        RowOps.copy(col, d + lo, x, s, len);
                    } else {
                        for (int q = 0, dd = d + lo; q < len; q++) col[dd + q] = x[s + q * sw];
                    }
                    zero(col, d + hi, d + ow);
                }
            }
        }
    }

    /**
     * Adds the patch matrix at {@code col[colOff]} (row stride {@code ld}) back onto
     * {@code channels} planes starting at {@code x[xOff]}; padding positions are dropped. The patch
     * matrix is scratch: its entries for padding positions may be overwritten with zeros.
     */
    static void col2im(ConvGeometry g, float[] col, int colOff, int ld, int channels, float[] x, int xOff) {
        if (rowsAreContiguous(g)) {
            col2imContiguous(g, col, colOff, ld, channels, x, xOff);
            return;
        }
        final int plane = g.inH() * g.inW(), ow = g.outW(), taps = g.kernelH() * g.kernelW();
        final int rowStep = g.strideH() * g.inW(), sw = g.strideW();
        final ConvTaps t = ConvTaps.of(g);
        for (int c = 0; c < channels; c++) {
            int xp = xOff + c * plane;
            for (int k = 0; k < taps; k++) {
                int len = t.len()[k];
                if (len == 0) continue;
                int row = colOff + (c * taps + k) * ld + t.colLo()[k], inStart = xp + t.inStart()[k];
                for (int r = t.rowLo()[k], rowHi = t.rowHi()[k]; r < rowHi; r++) {
                    int s = row + r * ow;
                    int d = inStart + r * rowStep;
                    if (sw == 1) {
                        RowOps.add(x, d, col, s, len);
                    } else {
                        for (int q = 0; q < len; q++) x[d + q * sw] += col[s + q];
                    }
                }
            }
        }
    }

    /**
     * True when a tap's valid output rows map onto consecutive input rows of the same width
     * (stride 1 and "same" width, as in every 3x3/pad-1 layer of a ResNet). Then the patch row of a
     * tap is, over its valid output rows, one contiguous slice of the input plane shifted by the
     * tap's column offset: a single long copy (or add), after which only the few positions that
     * wrapped around a row edge need fixing. This is several times faster than row-by-row copies
     * of 8 to 32 floats.
     */
    static boolean rowsAreContiguous(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.outW() == g.inW();
    }

    private static void im2colContiguous(ConvGeometry g, float[] x, int xOff, int channels, float[] col, int colOff,
                                         int ld) {
        final int h = g.inH(), w = g.inW(), oh = g.outH(), p = oh * w;
        final int kh = g.kernelH(), kw = g.kernelW(), ph = g.padH(), pw = g.padW(), dh = g.dilationH(), dw = g.dilationW();
        for (int c = 0; c < channels; c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < kh; i++) {
                int tapH = i * dh;
                int ohHi = endValid(h, ph, tapH, 1, oh);
                int ohLo = Math.min(firstValid(ph, tapH, 1), ohHi);
                for (int j = 0; j < kw; j++) {
                    int shift = j * dw - pw;
                    int row = colOff + ((c * kh + i) * kw + j) * ld;
                    // Columns q with q + shift outside [0, w) read the neighbouring row (or past the plane).
                    int qLo = Math.min(Math.max(0, -shift), w), qHi = Math.max(qLo, Math.min(w, w - shift));
                    zero(col, row, row + ohLo * w);
                    if (ohHi > ohLo) {
                        int d = row + ohLo * w, s = plane + (ohLo - ph + tapH) * w + shift;
                        int first = qLo, last = (ohHi - ohLo - 1) * w + qHi;
                        if (qHi > qLo) System.arraycopy(x, s + first, col, d + first, last - first);
                        zeroColumns(col, d, w, ohHi - ohLo, qLo, qHi);
                    }
                    zero(col, row + ohHi * w, row + p);
                }
            }
        }
    }

    private static void col2imContiguous(ConvGeometry g, float[] col, int colOff, int ld, int channels, float[] x,
                                         int xOff) {
        final int h = g.inH(), w = g.inW(), oh = g.outH();
        final int kh = g.kernelH(), kw = g.kernelW(), ph = g.padH(), pw = g.padW(), dh = g.dilationH(), dw = g.dilationW();
        for (int c = 0; c < channels; c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < kh; i++) {
                int tapH = i * dh;
                int ohHi = endValid(h, ph, tapH, 1, oh);
                int ohLo = Math.min(firstValid(ph, tapH, 1), ohHi);
                if (ohHi == ohLo) continue;
                for (int j = 0; j < kw; j++) {
                    int shift = j * dw - pw;
                    int qLo = Math.min(Math.max(0, -shift), w), qHi = Math.max(qLo, Math.min(w, w - shift));
                    if (qHi == qLo) continue;
                    int s = colOff + ((c * kh + i) * kw + j) * ld + ohLo * w;
                    int d = plane + (ohLo - ph + tapH) * w + shift;
                    int rows = ohHi - ohLo;
                    // Gradients of padding positions would land on the neighbouring row: drop them
                    // from the scratch patch matrix first, then add everything in one pass.
                    zeroColumns(col, s, w, rows, qLo, qHi);
                    int first = qLo, last = (rows - 1) * w + qHi;
                    RowOps.add(x, d + first, col, s + first, last - first);
                }
            }
        }
    }

    private static void zero(float[] a, int from, int to) {
        if (to > from) java.util.Arrays.fill(a, from, to, 0f);
    }

    /**
     * Zeroes columns {@code [0, qLo)} and {@code [qHi, w)} of {@code rows} rows of width {@code w}
     * starting at {@code a[at]}: the positions of a contiguous tap copy that wrapped around a row
     * edge. Column by column: these are a column or two of a 3x3 kernel, so one strided loop per
     * column beats two near-empty fills per row.
     */
    private static void zeroColumns(float[] a, int at, int w, int rows, int qLo, int qHi) {
        for (int q = 0; q < qLo; q++) {
            for (int r = 0, i = at + q; r < rows; r++, i += w) a[i] = 0f;
        }
        for (int q = qHi; q < w; q++) {
            for (int r = 0, i = at + q; r < rows; r++, i += w) a[i] = 0f;
        }
    }
}
