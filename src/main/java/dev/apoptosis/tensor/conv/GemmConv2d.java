package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.gemm.Gemm;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * Convolution as matrix multiplication: im2col / col2im around {@link Gemm#sgemm}.
 *
 * <p>Per group, with {@code K = (Cin/G) kH kW} patch rows, {@code M = Cout/G} filters and
 * {@code P = outH outW} output pixels per image:
 * <ul>
 *   <li>forward: {@code Y[M, P] = W[M, K] · cols[K, P]};</li>
 *   <li>input gradient: {@code gcols[K, P] = W^T · gY[M, P]}, then col2im adds gcols onto gX;</li>
 *   <li>weight gradient: {@code gW[M, K] += gY[M, P] · cols^T}, summed over images (see
 *       {@link GemmConvWeightGradient} for the two layouts it uses).</li>
 * </ul>
 * <b>Tiles.</b> When images are small (P under {@link #MIN_GEMM_COLUMNS}), a tile of several
 * consecutive images is laid side by side in one patch matrix so each GEMM is wide enough to run
 * at full speed; outputs and gradients of a tile then go through a packed buffer. The tile size
 * depends on the geometry alone.
 *
 * <p><b>Threads.</b> Tiles are independent for the forward and input-gradient passes, so they are
 * spread over the pool; each thread reuses its own {@link ConvScratch} buffers and its GEMMs run
 * single-threaded (nested {@link Parallel} calls are serial). A batch of a single tile instead runs
 * on the calling thread and lets the GEMM use the pool. The weight gradient, a sum over images,
 * combines per-chunk partial sums in a fixed order (see {@link GemmConvWeightGradient}).
 *
 * <p><b>1x1 convolutions</b> with stride 1 and no padding need no patch matrix in the forward and
 * input-gradient passes: the input planes already are one, and single-image tiles pass them to the
 * GEMM in place.
 */
final class GemmConv2d {
    /** Tiles are widened to at least this many GEMM columns when images are small. */
    static final int MIN_GEMM_COLUMNS = 256;
    /** Upper bound on the floats of one patch matrix when widening tiles. */
    private static final long MAX_TILE_FLOATS = 1L << 22;

    private GemmConv2d() {}

    /** Images per tile: enough for {@link #MIN_GEMM_COLUMNS} columns, within the memory cap. */
    static int imagesPerTile(ConvGeometry g) {
        return imagesPerTile(g, MIN_GEMM_COLUMNS);
    }

    /** Images per tile: enough for {@code minColumns} columns, within the memory cap. */
    static int imagesPerTile(ConvGeometry g, int minColumns) {
        int p = g.outH() * g.outW();
        long k = (long) g.inChannelsPerGroup() * g.kernelH() * g.kernelW();
        int want = (minColumns + p - 1) / p;
        int memCap = (int) Math.max(1, MAX_TILE_FLOATS / (k * p));
        return Math.max(1, Math.min(g.n(), Math.min(want, memCap)));
    }

    /** True when the input planes of one image are their own patch matrix (1x1, stride 1, no padding). */
    static boolean inPlacePatches(ConvGeometry g) {
        return g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1
                && g.padH() == 0 && g.padW() == 0;
    }

    /** {@code y = conv(x, w) + bias} or, with {@code accumulate}, {@code y += conv(x, w) + bias}. */
    static void forward(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y, boolean accumulate) {
        forward(g, new Tensor[] {x}, new Tensor[] {w}, bias, y, accumulate);
    }

    /**
     * {@code y (+)= Σ_j conv(xs[j], ws[j]) + bias} as one GEMM per tile and group: the patch matrices
     * of the inputs are stacked (inner dimension {@code j K}) against the side-by-side filters, so C
     * is written once and the micro-kernel runs longer k loops. The tangent {@code W⋆ẋ + Ẇ⋆x} and the
     * R-adjoint {@code Wᵀ⋆ġ + Ẇᵀ⋆g} are such sums. Several inputs need patch matrices, so not
     * {@link #inPlacePatches} geometries.
     */
    static void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, Tensor bias, Tensor y, boolean accumulate) {
        ImplicitPath path = ImplicitPath.choose(g, xs.length);
        if (path != null) {
            path.forward(g, xs, ws, false, bias, y, accumulate);
            return;
        }
        ConvPath.GEMM.took();
        final int groups = g.groups(), cin = g.inChannels(), cout = g.outChannels();
        final int cg = g.inChannelsPerGroup(), mg = g.outChannelsPerGroup();
        final int kg = cg * g.kernelH() * g.kernelW(), pairs = xs.length, kAll = pairs * kg;
        final int p = g.outH() * g.outW(), hw = g.inH() * g.inW();
        final int tile = imagesPerTile(g), tiles = (g.n() + tile - 1) / tile;
        final boolean inPlace = inPlacePatches(g);
        if (pairs > 1 && inPlace) throw new IllegalArgumentException("conv2d: a sum of convolutions needs patch matrices, not " + g);
        final float[] wd;
        final int wo;
        if (pairs == 1) {
            wd = ws[0].data();
            wo = ws[0].offset();
        } else {
            // Filters side by side: row o holds filter o of every term, in term order (every entry written).
            wd = ConvScratch.floats(Slot.STACKED_FILTERS, cout * kAll);
            wo = 0;
            for (int o = 0; o < cout; o++) {
                for (int j = 0; j < pairs; j++) System.arraycopy(ws[j].data(), ws[j].offset() + o * kg, wd, o * kAll + j * kg, kg);
            }
        }
        final float[] yd = y.data();
        final int yo = y.offset();
        Parallel.forRange(tiles, 1, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int n0 = t * tile, nt = Math.min(tile, g.n() - n0), cols = nt * p;
                boolean packed = nt > 1;
                float[] patches = inPlace && !packed ? null : ConvScratch.floats(Slot.PATCHES, kAll * cols);
                float[] out = packed ? ConvScratch.floats(Slot.GEMM_OUT, mg * cols) : null;
                for (int gi = 0; gi < groups; gi++) {
                    float[] b;
                    int bOff;
                    if (patches == null) {
                        b = xs[0].data();
                        bOff = xs[0].offset() + (n0 * cin + gi * cg) * hw;
                    } else {
                        for (int j = 0; j < pairs; j++) {
                            float[] xd = xs[j].data();
                            int xo = xs[j].offset();
                            for (int i = 0; i < nt; i++) {
                                Im2col.im2col(g, xd, xo + ((n0 + i) * cin + gi * cg) * hw, cg, patches, j * kg * cols + i * p, cols);
                            }
                        }
                        b = patches;
                        bOff = 0;
                    }
                    int wOff = wo + gi * mg * kAll;
                    if (!packed) {
                        Gemm.sgemm(false, false, mg, p, kAll, 1f, wd, wOff, kAll, b, bOff, cols,
                                accumulate ? 1f : 0f, yd, yo + (n0 * cout + gi * mg) * p, p);
                    } else {
                        Gemm.sgemm(false, false, mg, cols, kAll, 1f, wd, wOff, kAll, b, bOff, cols, 0f, out, 0, cols);
                        unpack(out, mg, nt, p, yd, yo + (n0 * cout + gi * mg) * p, cout * p, accumulate);
                    }
                }
                if (bias != null) addBias(bias, yd, yo + n0 * cout * p, nt, cout, p);
            }
        });
    }

    /**
     * {@code gx = conv^T(gy, w)} or, with {@code accumulate}, {@code gx += conv^T(gy, w)}.
     *
     * <p>With stride 1 the transposed convolution is itself a convolution (of {@code gy} with the
     * spatially flipped, in/out-swapped filters and padding {@code d (k - 1) - p}), so it runs as a
     * {@link #forward} pass: one NN GEMM with a long inner dimension per tile and no col2im, which
     * is cheaper than a GEMM whose inner dimension is only the output channels followed by a
     * scatter-add. 3x3 stride-2 layers run as four small convolutions, one per phase of the input
     * ({@link PhaseGradientConv2d}); other strides use GEMM + col2im.
     */
    static void backwardInput(ConvGeometry g, Tensor gy, Tensor w, Tensor gx, boolean accumulate) {
        if (PhaseGradientConv2d.applies(g)) {
            PhaseGradientConv2d.backwardInput(g, new Tensor[] {gy}, new Tensor[] {w}, gx, accumulate);
            return;
        }
        ConvGeometry transposed = transposedAsConvolution(g);
        ImplicitPath path = transposed == null ? null : ImplicitPath.choose(transposed, 1);
        if (path != null) {
            path.forward(transposed, new Tensor[] {gy}, new Tensor[] {w}, true, null, gx, accumulate);
            return;
        }
        if (transposed != null) {
            forward(transposed, gy, flippedTransposedWeight(g, w, 0), null, gx, accumulate);
            return;
        }
        ConvPath.GEMM.took();
        final int groups = g.groups(), cin = g.inChannels(), cout = g.outChannels();
        final int cg = g.inChannelsPerGroup(), mg = g.outChannelsPerGroup();
        final int kg = cg * g.kernelH() * g.kernelW();
        final int p = g.outH() * g.outW(), hw = g.inH() * g.inW();
        final int tile = imagesPerTile(g), tiles = (g.n() + tile - 1) / tile;
        final boolean inPlace = inPlacePatches(g);
        final float[] gyd = gy.data(), wd = w.data(), gxd = gx.data();
        final int gyo = gy.offset(), wo = w.offset(), gxo = gx.offset();
        Parallel.forRange(tiles, 1, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int n0 = t * tile, nt = Math.min(tile, g.n() - n0), cols = nt * p;
                boolean packed = nt > 1;
                boolean direct = inPlace && !packed;
                float[] grads = packed ? ConvScratch.floats(Slot.PACKED_GRAD, cout * cols) : null;
                if (packed) pack(gyd, gyo + n0 * cout * p, cout * p, cout, nt, p, grads);
                float[] gcols = direct ? null : ConvScratch.floats(Slot.PATCHES, kg * cols);
                if (!direct && !accumulate) {
                    java.util.Arrays.fill(gxd, gxo + n0 * cin * hw, gxo + (n0 + nt) * cin * hw, 0f);
                }
                for (int gi = 0; gi < groups; gi++) {
                    float[] b = packed ? grads : gyd;
                    int bOff = packed ? gi * mg * cols : gyo + (n0 * cout + gi * mg) * p;
                    int wOff = wo + gi * mg * kg;
                    if (direct) {
                        Gemm.sgemm(true, false, kg, p, mg, 1f, wd, wOff, kg, b, bOff, p,
                                accumulate ? 1f : 0f, gxd, gxo + (n0 * cin + gi * cg) * hw, p);
                        continue;
                    }
                    Gemm.sgemm(true, false, kg, cols, mg, 1f, wd, wOff, kg, b, bOff, cols, 0f, gcols, 0, cols);
                    for (int i = 0; i < nt; i++) {
                        Im2col.col2im(g, gcols, i * p, cols, cg, gxd, gxo + ((n0 + i) * cin + gi * cg) * hw);
                    }
                }
            }
        });
    }

    /**
     * {@code gx (+)= conv^T(gy1, w1) + conv^T(gy2, w2)}: with stride 1 one {@link #forward} of the
     * two transposed convolutions (a GEMM with a doubled inner dimension), for 3x3 stride-2 layers one
     * {@link PhaseGradientConv2d} pass over both, otherwise two passes.
     */
    static void backwardInputPair(ConvGeometry g, Tensor gy1, Tensor w1, Tensor gy2, Tensor w2, Tensor gx,
                                  boolean accumulate) {
        if (PhaseGradientConv2d.applies(g)) {
            PhaseGradientConv2d.backwardInput(g, new Tensor[] {gy1, gy2}, new Tensor[] {w1, w2}, gx, accumulate);
            return;
        }
        ConvGeometry transposed = transposedAsConvolution(g);
        if (transposed == null) {
            backwardInput(g, gy1, w1, gx, accumulate);
            backwardInput(g, gy2, w2, gx, true);
            return;
        }
        ImplicitPath path = ImplicitPath.choose(transposed, 2);
        if (path != null) {
            path.forward(transposed, new Tensor[] {gy1, gy2}, new Tensor[] {w1, w2}, true, null, gx, accumulate);
            return;
        }
        forward(transposed, new Tensor[] {gy1, gy2}, new Tensor[] {flippedTransposedWeight(g, w1, 0), flippedTransposedWeight(g, w2, 1)},
                null, gx, accumulate);
    }

    /** See {@link GemmConvWeightGradient}. */
    static void backwardWeight(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        GemmConvWeightGradient.compute(g, x, gy, gw, accumulate);
    }

    /**
     * The convolution that computes the input gradient of {@code g}, or null when there is none
     * worth using: strides other than 1, padding beyond the dilated kernel, or a 1x1 kernel without
     * padding (whose GEMM + col2im path needs no patches at all).
     */
    static ConvGeometry transposedAsConvolution(ConvGeometry g) {
        int padH = g.dilationH() * (g.kernelH() - 1) - g.padH(), padW = g.dilationW() * (g.kernelW() - 1) - g.padW();
        if (g.strideH() != 1 || g.strideW() != 1 || padH < 0 || padW < 0 || inPlacePatches(g)) return null;
        return new ConvGeometry(g.n(), g.outChannels(), g.outH(), g.outW(), g.inChannels(), g.kernelH(), g.kernelW(),
                1, 1, padH, padW, g.dilationH(), g.dilationW(), g.groups());
    }

    /**
     * {@code w'[g*Cg + c, m, i, j] = w[g*M + m, c, kH-1-i, kW-1-j]}: the filters of {@link #transposedAsConvolution},
     * in the calling thread's scratch buffer {@code which} (0 or 1: a pair of convolutions needs two at once),
     * valid until that thread's next call with the same {@code which}. A weight-sized array allocated per
     * call (2.4 MB at 256 channels) made the input gradient of wide layers up to 1.5x slower with the
     * launcher's transparent huge pages.
     */
    static Tensor flippedTransposedWeight(ConvGeometry g, Tensor w, int which) {
        final int kh = g.kernelH(), kw = g.kernelW(), cg = g.inChannelsPerGroup(), mg = g.outChannelsPerGroup();
        int size = g.inChannels() * mg * kh * kw;
        Tensor t = Tensor.window(ConvScratch.floats(which == 0 ? Slot.FLIPPED_WEIGHT : Slot.FLIPPED_WEIGHT_2, size), 0,
                g.inChannels(), mg, kh, kw);
        float[] src = w.data(), dst = t.data();
        int so = w.offset();
        for (int gi = 0; gi < g.groups(); gi++) {
            for (int m = 0; m < mg; m++) {
                for (int c = 0; c < cg; c++) {
                    int from = so + (((gi * mg + m) * cg + c) * kh) * kw;
                    int to = (((gi * cg + c) * mg + m) * kh) * kw;
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) dst[to + i * kw + j] = src[from + (kh - 1 - i) * kw + (kw - 1 - j)];
                    }
                }
            }
        }
        return t;
    }

    /** Copies {@code nt} images' {@code rows x p} blocks (image stride {@code imageStride}) side by side. */
    static void pack(float[] src, int srcOff, int imageStride, int rows, int nt, int p, float[] dst) {
        int cols = nt * p;
        for (int i = 0; i < nt; i++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(src, srcOff + i * imageStride + r * p, dst, r * cols + i * p, p);
            }
        }
    }

    /** Inverse of {@link #pack} for {@code rows} rows, storing or adding. */
    private static void unpack(float[] src, int rows, int nt, int p, float[] dst, int dstOff, int imageStride,
                               boolean add) {
        int cols = nt * p;
        for (int i = 0; i < nt; i++) {
            for (int r = 0; r < rows; r++) {
                int s = r * cols + i * p, d = dstOff + i * imageStride + r * p;
                if (add) {
                    RowOps.add(dst, d, src, s, p);
                } else {
                    System.arraycopy(src, s, dst, d, p);
                }
            }
        }
    }

    private static void addBias(Tensor bias, float[] y, int yOff, int images, int channels, int p) {
        float[] bd = bias.data();
        int bo = bias.offset();
        for (int i = 0; i < images; i++) {
            for (int c = 0; c < channels; c++) {
                float b = bd[bo + c];
                int d = yOff + (i * channels + c) * p;
                RowOps.addScalar(y, d, b, p);
            }
        }
    }
}
