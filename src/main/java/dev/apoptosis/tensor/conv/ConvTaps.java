package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * Where each filter tap of a convolution reads, worked out once per call so that the loops over
 * output rows need no per-element bounds tests. For tap {@code k = i·kW + j}: the output rows
 * {@code [rowLo, rowHi)} and the {@code len} output columns from {@code colLo} whose input lies
 * inside the image, and the offset {@code inStart} in the input plane of output (0, colLo)'s input,
 * so that output row r of the tap reads from {@code r·strideH·inW + inStart} on, every
 * {@code strideW}-th value. {@code rowLo} may exceed {@code rowHi} (no valid row); {@code colLo} is
 * clamped so that {@code len >= 0}.
 */
record ConvTaps(int[] rowLo, int[] rowHi, int[] colLo, int[] len, int[] inStart) {
    static ConvTaps of(ConvGeometry g) {
        int kh = g.kernelH(), kw = g.kernelW(), n = kh * kw;
        ConvTaps t = new ConvTaps(new int[n], new int[n], new int[n], new int[n], new int[n]);
        for (int i = 0; i < kh; i++) {
            int tapH = i * g.dilationH();
            for (int j = 0; j < kw; j++) {
                int k = i * kw + j, tapW = j * g.dilationW();
                t.rowLo[k] = Im2col.firstValid(g.padH(), tapH, g.strideH());
                t.rowHi[k] = Im2col.endValid(g.inH(), g.padH(), tapH, g.strideH(), g.outH());
                int colHi = Im2col.endValid(g.inW(), g.padW(), tapW, g.strideW(), g.outW());
                t.colLo[k] = Math.min(Im2col.firstValid(g.padW(), tapW, g.strideW()), colHi);
                t.len[k] = colHi - t.colLo[k];
                t.inStart[k] = (tapH - g.padH()) * g.inW() + t.colLo[k] * g.strideW() - g.padW() + tapW;
            }
        }
        return t;
    }
}
