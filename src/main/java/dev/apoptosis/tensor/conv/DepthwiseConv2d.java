package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * Depthwise convolution (groups = inChannels = outChannels) computed directly, plane by plane.
 *
 * <p>Each output plane depends on one input plane and one {@code kH x kW} filter, so the GEMM
 * formulation would be a [1 x kH kW] by [kH kW x P] product per plane: all overhead. Instead each
 * filter tap is applied to the whole plane as a scaled row-segment add over the output pixels whose
 * input lies inside the image (ranges from {@link Im2col#firstValid}/{@link Im2col#endValid}), which
 * the JIT vectorises for stride 1. Planes are independent, so the forward and input-gradient passes
 * run in parallel over (image, channel) planes; the weight gradient runs in parallel over channels,
 * each summing all images in order in double precision, so it is deterministic.
 *
 * <p>The three passes walk the same nest (plane, filter tap, output row); where a tap's valid
 * output rows and columns lie and where its input starts is worked out once per call in
 * {@link ConvTaps}, so each pass only holds its own inner loop.
 */
final class DepthwiseConv2d {
    private DepthwiseConv2d() {}

    static void forward(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y, boolean accumulate) {
        ConvPath.DEPTHWISE.took();
        final int c = g.inChannels(), planeIn = g.inH() * g.inW(), planeOut = g.outH() * g.outW();
        final int taps = g.kernelH() * g.kernelW(), ow = g.outW(), rowStep = g.strideH() * g.inW(), sw = g.strideW();
        final float[] xd = x.data(), wd = w.data(), yd = y.data();
        final int xo = x.offset(), wo = w.offset(), yo = y.offset();
        final ConvTaps t = ConvTaps.of(g);
        Parallel.forRange(g.n() * c, 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int ch = plane % c;
                int xp = xo + plane * planeIn, yp = yo + plane * planeOut;
                float b = bias == null ? 0f : bias.at(ch);
                if (!accumulate) {
                    java.util.Arrays.fill(yd, yp, yp + planeOut, b);
                } else if (b != 0f) {
                    for (int q = 0; q < planeOut; q++) yd[yp + q] += b;
                }
                for (int k = 0; k < taps; k++) {
                    int len = t.len()[k], rowHi = t.rowHi()[k], outCol = t.colLo()[k], inStart = t.inStart()[k];
                    float wv = wd[wo + ch * taps + k];
                    for (int r = t.rowLo()[k]; r < rowHi; r++) {
                        int d = yp + r * ow + outCol;
                        int s = xp + r * rowStep + inStart;
                        if (sw == 1) {
                            RowOps.axpy(yd, d, wv, xd, s, len);
                        } else {
                            for (int q = 0; q < len; q++) yd[d + q] += wv * xd[s + q * sw];
                        }
                    }
                }
            }
        });
    }

    static void backwardInput(ConvGeometry g, Tensor gy, Tensor w, Tensor gx, boolean accumulate) {
        ConvPath.DEPTHWISE.took();
        final int c = g.inChannels(), planeIn = g.inH() * g.inW(), planeOut = g.outH() * g.outW();
        final int taps = g.kernelH() * g.kernelW(), ow = g.outW(), rowStep = g.strideH() * g.inW(), sw = g.strideW();
        final float[] gyd = gy.data(), wd = w.data(), gxd = gx.data();
        final int gyo = gy.offset(), wo = w.offset(), gxo = gx.offset();
        final ConvTaps t = ConvTaps.of(g);
        Parallel.forRange(g.n() * c, 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int ch = plane % c;
                int xp = gxo + plane * planeIn, yp = gyo + plane * planeOut;
                if (!accumulate) java.util.Arrays.fill(gxd, xp, xp + planeIn, 0f);
                for (int k = 0; k < taps; k++) {
                    int len = t.len()[k], rowHi = t.rowHi()[k], outCol = t.colLo()[k], inStart = t.inStart()[k];
                    float wv = wd[wo + ch * taps + k];
                    for (int r = t.rowLo()[k]; r < rowHi; r++) {
                        int s = yp + r * ow + outCol;
                        int d = xp + r * rowStep + inStart;
                        if (sw == 1) {
                            RowOps.axpy(gxd, d, wv, gyd, s, len);
                        } else {
                            for (int q = 0; q < len; q++) gxd[d + q * sw] += wv * gyd[s + q];
                        }
                    }
                }
            }
        });
    }

    static void backwardWeight(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        ConvPath.DEPTHWISE.took();
        final int c = g.inChannels(), planeIn = g.inH() * g.inW(), planeOut = g.outH() * g.outW();
        final int taps = g.kernelH() * g.kernelW(), ow = g.outW(), rowStep = g.strideH() * g.inW(), sw = g.strideW();
        final float[] xd = x.data(), gyd = gy.data(), gwd = gw.data();
        final int xo = x.offset(), gyo = gy.offset(), gwo = gw.offset();
        final ConvTaps t = ConvTaps.of(g);
        Parallel.forRange(c, 1, (lo, hi) -> {
            double[] acc = new double[taps];
            for (int ch = lo; ch < hi; ch++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int n = 0; n < g.n(); n++) {
                    int plane = n * c + ch;
                    int xp = xo + plane * planeIn, yp = gyo + plane * planeOut;
                    for (int k = 0; k < taps; k++) {
                        int len = t.len()[k], rowHi = t.rowHi()[k], outCol = t.colLo()[k], inStart = t.inStart()[k];
                        double s = 0;
                        for (int r = t.rowLo()[k]; r < rowHi; r++) {
                            int yr = yp + r * ow + outCol;
                            int xr = xp + r * rowStep + inStart;
                            for (int q = 0; q < len; q++) s += (double) gyd[yr + q] * xd[xr + q * sw];
                        }
                        acc[k] += s;
                    }
                }
                for (int k = 0; k < taps; k++) {
                    int d = gwo + ch * taps + k;
                    gwd[d] = accumulate ? (float) (gwd[d] + acc[k]) : (float) acc[k];
                }
            }
        });
    }
}
