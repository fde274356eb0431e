package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * Patch matrix with one row per output pixel ("im2row"), built from a channels-last copy of the
 * image; the operand layout that makes the weight gradient a plain (non-transposed) GEMM.
 *
 * <p>The weight gradient contracts over output pixels: {@code gW[M, K] = gY[M, P] · patches^T}. In
 * NCHW both factors have pixels as their contiguous axis, so with the {@link Im2col} layout the
 * GEMM must transpose the large patch operand while packing it. Building the patches transposed
 * instead, {@code rows[P, K]}, turns it into {@code gY · rows}, whose right operand packs with
 * straight vector copies. The image is first transposed to channels-last ({@code [H W, C]}), so
 * each tap of each pixel is a contiguous run of channel values; with dilation 1 and all channels in
 * one group, the {@code kW} taps of a filter row are even one run of {@code kW C} values.
 *
 * <p>Columns are ordered {@code (kh, kw, c)}, not the weight layout's {@code (c, kh, kw)}: the
 * caller permutes the (small) gradient once at the end, see {@link #toWeightOrder}.
 */
final class Im2row {
    private Im2row() {}

    /** Transposes {@code channels} planes of {@code hw} values at {@code x[xOff]} into {@code xt[xtOff + pixel * channels + c]}. */
    static void toChannelsLast(float[] x, int xOff, int channels, int hw, float[] xt, int xtOff) {
        Transpose.transpose(x, xOff, channels, hw, hw, xt, xtOff, channels);
    }

    /**
     * Writes the patch rows of one image, channels {@code [c0, c0 + cg)} of the channels-last image
     * at {@code xt[xtOff]} (which has {@code cin} channels), as rows {@code rowOff ..} of
     * {@code rows}, each {@code kH kW cg} long.
     */
    static void im2row(ConvGeometry g, float[] xt, int xtOff, int cin, int c0, int cg, float[] rows, int rowOff) {
        final int h = g.inH(), w = g.inW(), oh = g.outH(), ow = g.outW();
        final int kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW();
        final int ph = g.padH(), pw = g.padW(), dh = g.dilationH(), dw = g.dilationW();
        final int k = kh * kw * cg;
        // Output columns whose whole filter row lies inside the image: one copy per filter row.
        final boolean runs = dw == 1 && cg == cin;
        final int inLo = Im2col.firstValid(pw, 0, sw);
        final int inHi = Math.max(inLo, Im2col.endValid(w, pw, (kw - 1) * dw, sw, ow));
        for (int r = 0; r < oh; r++) {
            for (int i = 0; i < kh; i++) {
                int ih = r * sh - ph + i * dh;
                int rowStart = (rowOff + r * ow) * k + i * kw * cg;
                if (ih < 0 || ih >= h) {
                    for (int q = 0; q < ow; q++) zero(rows, rowStart + q * k, kw * cg);
                    continue;
                }
                int srcRow = xtOff + ih * w * cin + c0;
                int lo = runs ? inLo : ow, hi = runs ? inHi : ow;
                for (int q = 0; q < ow; q++) {
                    if (q == lo && hi > lo) {
                        RowOps.copyRuns(rows, rowStart + q * k, k, xt, srcRow + (q * sw - pw) * cin, sw * cin,
                                hi - lo, kw * cin);
                        q = hi - 1;
                        continue;
                    }
                    int d = rowStart + q * k, iw0 = q * sw - pw;
                    for (int j = 0; j < kw; j++) {
                        int iw = iw0 + j * dw;
                        if (iw >= 0 && iw < w) {
                            RowOps.copy(rows, d + j * cg, xt, srcRow + iw * cin, cg);
                        } else {
                            zero(rows, d + j * cg, cg);
                        }
                    }
                }
            }
        }
    }

    /**
     * Stores (or, when {@code accumulate}, adds) a gradient {@code [m, (kh, kw, c)]} held at
     * {@code src[srcOff]} into {@code dst[dstOff]} in weight order {@code [m, (c, kh, kw)]}.
     */
    static void toWeightOrder(float[] src, int srcOff, int m, int cg, int taps, float[] dst, int dstOff,
                              boolean accumulate) {
        int k = cg * taps;
        for (int o = 0; o < m; o++) {
            for (int t = 0; t < taps; t++) {
                for (int c = 0; c < cg; c++) {
                    int d = dstOff + o * k + c * taps + t;
                    float v = src[srcOff + o * k + t * cg + c];
                    dst[d] = accumulate ? dst[d] + v : v;
                }
            }
        }
    }

    private static void zero(float[] a, int from, int len) {
        for (int i = 0; i < len; i++) a[from + i] = 0f;
    }
}
