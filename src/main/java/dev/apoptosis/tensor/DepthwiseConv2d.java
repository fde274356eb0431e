package dev.apoptosis.tensor;

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
 */
final class DepthwiseConv2d {
    private DepthwiseConv2d() {}

    static void forward(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y, boolean accumulate) {
        final int c = g.inChannels(), h = g.inH(), wi = g.inW(), oh = g.outH(), ow = g.outW();
        final int kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW();
        final int ph = g.padH(), pw = g.padW(), dh = g.dilationH(), dw = g.dilationW();
        final float[] xd = x.data(), wd = w.data(), yd = y.data();
        final int xo = x.offset(), wo = w.offset(), yo = y.offset();
        Parallel.forRange(g.n() * c, 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int ch = plane % c;
                int xp = xo + plane * h * wi, yp = yo + plane * oh * ow;
                float b = bias == null ? 0f : bias.at(ch);
                if (!accumulate) {
                    java.util.Arrays.fill(yd, yp, yp + oh * ow, b);
                } else if (b != 0f) {
                    for (int q = 0; q < oh * ow; q++) yd[yp + q] += b;
                }
                for (int i = 0; i < kh; i++) {
                    int tapH = i * dh;
                    int ohLo = Im2col.firstValid(ph, tapH, sh), ohHi = Im2col.endValid(h, ph, tapH, sh, oh);
                    for (int j = 0; j < kw; j++) {
                        int tapW = j * dw;
                        int owHi = Im2col.endValid(wi, pw, tapW, sw, ow);
                        int owLo = Math.min(Im2col.firstValid(pw, tapW, sw), owHi);
                        int len = owHi - owLo;
                        float wv = wd[wo + (ch * kh + i) * kw + j];
                        for (int r = ohLo; r < ohHi; r++) {
                            int d = yp + r * ow + owLo;
                            int s = xp + (r * sh - ph + tapH) * wi + owLo * sw - pw + tapW;
                            if (sw == 1) {
                                RowOps.axpy(yd, d, wv, xd, s, len);
                            } else {
                                for (int q = 0; q < len; q++) yd[d + q] += wv * xd[s + q * sw];
                            }
                        }
                    }
                }
            }
        });
    }

    static void backwardInput(ConvGeometry g, Tensor gy, Tensor w, Tensor gx, boolean accumulate) {
        final int c = g.inChannels(), h = g.inH(), wi = g.inW(), oh = g.outH(), ow = g.outW();
        final int kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW();
        final int ph = g.padH(), pw = g.padW(), dh = g.dilationH(), dw = g.dilationW();
        final float[] gyd = gy.data(), wd = w.data(), gxd = gx.data();
        final int gyo = gy.offset(), wo = w.offset(), gxo = gx.offset();
        Parallel.forRange(g.n() * c, 4, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int ch = plane % c;
                int xp = gxo + plane * h * wi, yp = gyo + plane * oh * ow;
                if (!accumulate) java.util.Arrays.fill(gxd, xp, xp + h * wi, 0f);
                for (int i = 0; i < kh; i++) {
                    int tapH = i * dh;
                    int ohLo = Im2col.firstValid(ph, tapH, sh), ohHi = Im2col.endValid(h, ph, tapH, sh, oh);
                    for (int j = 0; j < kw; j++) {
                        int tapW = j * dw;
                        int owHi = Im2col.endValid(wi, pw, tapW, sw, ow);
                        int owLo = Math.min(Im2col.firstValid(pw, tapW, sw), owHi);
                        int len = owHi - owLo;
                        float wv = wd[wo + (ch * kh + i) * kw + j];
                        for (int r = ohLo; r < ohHi; r++) {
                            int s = yp + r * ow + owLo;
                            int d = xp + (r * sh - ph + tapH) * wi + owLo * sw - pw + tapW;
                            if (sw == 1) {
                                RowOps.axpy(gxd, d, wv, gyd, s, len);
                            } else {
                                for (int q = 0; q < len; q++) gxd[d + q * sw] += wv * gyd[s + q];
                            }
                        }
                    }
                }
            }
        });
    }

    static void backwardWeight(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        final int c = g.inChannels(), h = g.inH(), wi = g.inW(), oh = g.outH(), ow = g.outW();
        final int kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW();
        final int ph = g.padH(), pw = g.padW(), dh = g.dilationH(), dw = g.dilationW();
        final float[] xd = x.data(), gyd = gy.data(), gwd = gw.data();
        final int xo = x.offset(), gyo = gy.offset(), gwo = gw.offset();
        Parallel.forRange(c, 1, (lo, hi) -> {
            double[] acc = new double[kh * kw];
            for (int ch = lo; ch < hi; ch++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int n = 0; n < g.n(); n++) {
                    int plane = n * c + ch;
                    int xp = xo + plane * h * wi, yp = gyo + plane * oh * ow;
                    for (int i = 0; i < kh; i++) {
                        int tapH = i * dh;
                        int ohLo = Im2col.firstValid(ph, tapH, sh), ohHi = Im2col.endValid(h, ph, tapH, sh, oh);
                        for (int j = 0; j < kw; j++) {
                            int tapW = j * dw;
                            int owHi = Im2col.endValid(wi, pw, tapW, sw, ow);
                            int owLo = Math.min(Im2col.firstValid(pw, tapW, sw), owHi);
                            double s = 0;
                            for (int r = ohLo; r < ohHi; r++) {
                                int yr = yp + r * ow;
                                int xr = xp + (r * sh - ph + tapH) * wi - pw + tapW;
                                for (int q = owLo; q < owHi; q++) s += (double) gyd[yr + q] * xd[xr + q * sw];
                            }
                            acc[i * kw + j] += s;
                        }
                    }
                }
                for (int k = 0; k < kh * kw; k++) {
                    int d = gwo + ch * kh * kw + k;
                    gwd[d] = accumulate ? (float) (gwd[d] + acc[k]) : (float) acc[k];
                }
            }
        });
    }
}
