package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * Textbook convolution loops in double precision, the oracle for {@link Conv2dKernels}: one loop
 * nest per formula, every index bounds-checked, nothing shared with the production code.
 */
final class ConvReference {
    private ConvReference() {}

    /** Input row index under tap {@code k} of output row {@code o}, or -1 in the padding. */
    private static int in(int o, int k, int stride, int pad, int dil, int size) {
        int i = o * stride - pad + k * dil;
        return i >= 0 && i < size ? i : -1;
    }

    static double[] forward(ConvGeometry g, Tensor x, Tensor w, Tensor bias) {
        int oh = g.outH(), ow = g.outW(), cg = g.inChannelsPerGroup(), mg = g.outChannelsPerGroup();
        double[] y = new double[g.n() * g.outChannels() * oh * ow];
        for (int n = 0; n < g.n(); n++) {
            for (int co = 0; co < g.outChannels(); co++) {
                int grp = co / mg;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double s = bias == null ? 0 : bias.get(co);
                        for (int ci = 0; ci < cg; ci++) {
                            for (int i = 0; i < g.kernelH(); i++) {
                                int ih = in(r, i, g.strideH(), g.padH(), g.dilationH(), g.inH());
                                if (ih < 0) continue;
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iw = in(q, j, g.strideW(), g.padW(), g.dilationW(), g.inW());
                                    if (iw < 0) continue;
                                    s += (double) x.get(n, grp * cg + ci, ih, iw) * w.get(co, ci, i, j);
                                }
                            }
                        }
                        y[((n * g.outChannels() + co) * oh + r) * ow + q] = s;
                    }
                }
            }
        }
        return y;
    }

    static double[] backwardInput(ConvGeometry g, Tensor gy, Tensor w) {
        int oh = g.outH(), ow = g.outW(), cg = g.inChannelsPerGroup(), mg = g.outChannelsPerGroup();
        double[] gx = new double[g.n() * g.inChannels() * g.inH() * g.inW()];
        for (int n = 0; n < g.n(); n++) {
            for (int co = 0; co < g.outChannels(); co++) {
                int grp = co / mg;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double d = gy.get(n, co, r, q);
                        for (int ci = 0; ci < cg; ci++) {
                            for (int i = 0; i < g.kernelH(); i++) {
                                int ih = in(r, i, g.strideH(), g.padH(), g.dilationH(), g.inH());
                                if (ih < 0) continue;
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iw = in(q, j, g.strideW(), g.padW(), g.dilationW(), g.inW());
                                    if (iw < 0) continue;
                                    int c = grp * cg + ci;
                                    gx[((n * g.inChannels() + c) * g.inH() + ih) * g.inW() + iw] += d * w.get(co, ci, i, j);
                                }
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    static double[] backwardWeight(ConvGeometry g, Tensor x, Tensor gy) {
        int oh = g.outH(), ow = g.outW(), cg = g.inChannelsPerGroup(), mg = g.outChannelsPerGroup();
        int kh = g.kernelH(), kw = g.kernelW();
        double[] gw = new double[g.outChannels() * cg * kh * kw];
        for (int co = 0; co < g.outChannels(); co++) {
            int grp = co / mg;
            for (int ci = 0; ci < cg; ci++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        double s = 0;
                        for (int n = 0; n < g.n(); n++) {
                            for (int r = 0; r < oh; r++) {
                                int ih = in(r, i, g.strideH(), g.padH(), g.dilationH(), g.inH());
                                if (ih < 0) continue;
                                for (int q = 0; q < ow; q++) {
                                    int iw = in(q, j, g.strideW(), g.padW(), g.dilationW(), g.inW());
                                    if (iw < 0) continue;
                                    s += (double) gy.get(n, co, r, q) * x.get(n, grp * cg + ci, ih, iw);
                                }
                            }
                        }
                        gw[((co * cg + ci) * kh + i) * kw + j] = s;
                    }
                }
            }
        }
        return gw;
    }

    static double[] backwardBias(ConvGeometry g, Tensor gy) {
        double[] gb = new double[g.outChannels()];
        for (int n = 0; n < g.n(); n++) {
            for (int co = 0; co < g.outChannels(); co++) {
                for (int r = 0; r < g.outH(); r++) {
                    for (int q = 0; q < g.outW(); q++) gb[co] += gy.get(n, co, r, q);
                }
            }
        }
        return gb;
    }
}
