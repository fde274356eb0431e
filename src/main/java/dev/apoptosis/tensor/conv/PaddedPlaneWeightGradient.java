package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.window.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a {@link PaddedPlaneConv2d} geometry (stride 1, a 3-wide kernel, "same"
 * padding) or a {@link PhasePlaneConv2d} one (3x3 stride 2 pad 1) as dot products over output
 * positions, read in place from padded planes.
 *
 * <p>{@code gW[o, c, kh, kw] = Σ over images and positions u of gY[o, u] · x[c, u + kh pitch + kw]}
 * with positions numbered as in {@link PaddedPlaneConv2d} (rows {@code pitch = W + 1} apart, one junk
 * position per row) and the images of a tile laid end to end with {@code pH} zero rows between them,
 * which serve as the padding below one image and above the next: the input's copy holds the padding's
 * zeros, and a copy of the output gradient in the same layout, zero at the junk positions and rows,
 * takes those out of the sums. So
 * both factors run contiguously along u, NCHW's own axis: no channels-last copy of the input (13 % of
 * the 32-channel patch-rows weight gradient) and no patch matrix. One kernel call multiplies four
 * output channels by the three taps of one filter row (12 vector accumulators, 7 loads per 12 fused
 * multiply-adds) along all positions of a tile of images ({@link #TILE_POSITIONS}), and adds its lanes
 * into a partial sum kept per lane.
 *
 * <p><b>Stride 2</b> (3x3 pad 1, a ResNet's downsampling layers): the input's four phase planes as in
 * {@link PhasePlaneConv2d}, laid out like the output gradient (a zero row above each image's rows), so
 * a filter row's three taps read two phase planes at fixed offsets from u.
 *
 * <p><b>Determinism.</b> Images are split into {@link #CHUNKS} chunks fixed by the batch size; each
 * chunk's partial sums are formed image after image by one thread, and the chunks are added in order,
 * then the lanes in lane order ({@link #laneSum}). Results do not depend on the thread count. They differ from the
 * GEMM paths' in rounding (other sums), as the weight-gradient paths already do among themselves.
 */
final class PaddedPlaneWeightGradient {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Output channels per kernel call. */
    private static final int OB = 4;
    /** Partial sums per call: fixed, so that the order of the sums depends on the batch alone. */
    static final int CHUNKS = 4;
    /**
     * Positions per kernel call, at most: the images of a tile laid end to end. Four output-gradient
     * rows of this many floats (16 KiB) stay in L1 while the input's rows stream past them. A constant,
     * not read from the cache size, because the tile sets where the lane sums are flushed.
     */
    static final int TILE_POSITIONS = 1024;

    private PaddedPlaneWeightGradient() {}

    /** True for the geometries this class computes: the vector path, one group, dilation 1, and stride 1 with a 3-wide kernel and "same" padding or 3x3 stride 2 pad 1. */
    static boolean supports(ConvGeometry g) {
        if (!Simd.enabled() || g.groups() != 1 || g.dilationH() != 1 || g.dilationW() != 1 || g.kernelW() != 3 || g.padW() != 1) {
            return false;
        }
        if (g.strideH() == 2 && g.strideW() == 2) return g.kernelH() == 3 && g.padH() == 1;
        return g.strideH() == 1 && g.strideW() == 1 && g.kernelH() % 2 == 1 && 2 * g.padH() == g.kernelH() - 1;
    }

    /**
     * True when {@code g}'s weight gradient should run here: supported, outputs at least 16 wide, and
     * {@link GemmConvWeightGradient}'s patch rows not read in place ({@code rowsInPlace}: its
     * {@link ImplicitIm2row} kernel, for channels a multiple of NR, which this path does not beat); or
     * outputs at least 4 wide with at most {@link GemmConvWeightGradient#MAX_FILTERS_FOR_DOT_PRODUCTS}
     * filters, whose dot-product path it beats (pruned layers).
     *
     * <p>Measured against the GEMM paths ({@code bench/ImplicitConvPaths.java -Dpath=PaddedPlaneWeightGradient
     * ... wt}, both alternated in one JVM; AMD EPYC Zen 4, one thread, batch 128, 3x3 pad 1): 16 channels
     * at 32x32 1.30x, at 16x16 1.15x; 11 at 32x32 1.16x, 5 to 11 1.15x; 23 at 16x16 1.51x; 16 to 32 at
     * 16x16 1.32x; but 32 at 16x16 0.96x and 64 at 32x32 (batch 64) 0.99x, where the patch rows are read
     * in place, and at 8x8 (a junk column and zero row per 8 positions) 0.89x at 45 channels, 0.68x at 64.
     * Stride 2 onto 16x16: 16 to 32 channels 1.30x (ResNet-20's layer2.0.conv1), 11 to 23 1.37x, 8 to 16
     * 1.43x; onto 8x8 0.69x. At 8x8 against the dot products (at most 16 filters, a session later): 39 to 16
     * channels 1.58x, stride 2 from 16x16, 30 to 14, 1.28x; against patch rows there, 39 to 18 1.01x, 16 to 39
     * 0.93x, stride 2 23 to 45 0.84x; with 16 filters or fewer, stride 2 8 to 16 onto 8x8 1.37x, 39 to 8 at
     * 8x8 1.68x, 64 to 16 at 4x4 (batch 64) 1.47x, but 14 to 45 at 8x8 (dot products for its short
     * patches) 0.93x. Stride-1 outputs 6 to 15 wide now go to {@link BatchInnerWeightGradient} first
     * (same kernel, no junk positions: 39 to 16 at 8x8 another 1.26x).
     */
    static boolean applies(ConvGeometry g, boolean rowsInPlace) {
        if (!supports(g)) return false;
        Boolean f = ConvPath.PADDED_PLANE_WEIGHTS.forced();
        if (f != null) return f;
        if (g.outChannels() <= GemmConvWeightGradient.MAX_FILTERS_FOR_DOT_PRODUCTS) return g.outW() >= 4;
        return !rowsInPlace && g.outW() >= 16;
    }

    /**
     * True when the last {@code cout % OB} filters of a stride-1 layer run {@linkplain #compute transposed}
     * (four input channels a call) rather than as a ragged block of four filters: when that takes fewer
     * kernel calls, {@code rem * ceil(cin / 4) < cin}.
     */
    static boolean transposesRemainder(ConvGeometry g) {
        int rem = g.outChannels() % OB;
        return g.strideH() == 1 && rem > 0 && rem * ((g.inChannels() + OB - 1) / OB) < g.inChannels();
    }

    static void compute(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        ConvPath.PADDED_PLANE_WEIGHTS.took();
        final int n = g.n(), cin = g.inChannels(), cout = g.outChannels(), h = g.inH(), w = g.inW(), hw = h * w;
        final int oh = g.outH(), ow = g.outW(), ohw = oh * ow, kh = g.kernelH(), ph = kh / 2, taps = kh * 3, pitch = ow + 1;
        final boolean strided = g.strideH() == 2;
        // Stride 1: each image's rows, then ph zero rows. Stride 2: a zero row, then the image's output rows
        // (its phase planes' rows on the input side): the rows above tap row 0 of the first output row.
        final int stride = strided ? (oh + 1) * pitch : (h + ph) * pitch, planes = strided ? 4 : 1;
        final int perTile = Math.max(1, TILE_POSITIONS / stride);
        // Stride 2 leads with the first image's zero row: one row more than the tile's planes.
        final int gLength = (perTile * stride + (strided ? pitch : 0) + VL - 1) / VL * VL, lead = strided ? pitch + 1 : 1 + ph * pitch;
        // Output-gradient rows gPitch apart after gBase zeros. Transposed calls read a row from 2 floats before
        // its start to VL floats past its tile, and the input rows VL floats further: VL zeros more each.
        final boolean transposed = transposesRemainder(g);
        final int margin = transposed ? VL : 0, gBase = margin, gPitch = gLength + margin;
        final int xLength = lead + gLength + kh * pitch + 3 + margin;
        final int blocks = transposed ? cout / OB : (cout + OB - 1) / OB, rows = cin * kh;
        final int rem = transposed ? cout % OB : 0, cinBlocks = (cin + OB - 1) / OB, gRows = transposed ? cout : blocks * OB;
        final int blockSize = blocks * rows * OB * 3 * VL, partialSize = blockSize + rem * cinBlocks * kh * OB * 3 * VL;
        final int chunks = Math.min(n, CHUNKS);
        final float[] partials = ConvScratch.floats(Slot.PARTIALS, chunks * partialSize);
        final float[] xd = x.data(), gyd = gy.data();
        final int xo = x.offset(), gyo = gy.offset();
        Parallel.forRange(chunks, 1, (lo, hi) -> {
            // Transposed calls read four channels at a time: channels up to a whole block, the extra ones zero.
            int xPlanes = transposed ? cinBlocks * OB : cin * planes;
            float[] xp = ConvScratch.floats(Slot.PADDED_INPUT, xPlanes * xLength);
            float[] gp = ConvScratch.floats(Slot.PADDED_GRAD, gBase + gRows * gPitch);
            java.util.Arrays.fill(xp, cin * planes * xLength, xPlanes * xLength, 0f);
            java.util.Arrays.fill(gp, 0, gBase, 0f);
            for (int ch = lo; ch < hi; ch++) {
                int nLo = (int) ((long) n * ch / chunks), nHi = (int) ((long) n * (ch + 1) / chunks);
                int pOff = ch * partialSize;
                java.util.Arrays.fill(partials, pOff, pOff + partialSize, 0f);
                for (int t0 = nLo; t0 < nHi; t0 += perTile) {
                    int images = Math.min(perTile, nHi - t0), length = (images * stride + VL - 1) / VL * VL;
                    for (int c = 0; c < cin; c++) {
                        int src = xo + (t0 * cin + c) * hw;
                        if (strided) {
                            phases(xd, src, cin * hw, images, h, w, pitch, stride, xp, c * 4 * xLength, lead, xLength);
                        } else {
                            PaddedPlaneConv2d.stack(xd, src, cin * hw, images, h, w, ph, xp, c * xLength, lead, xLength);
                        }
                    }
                    for (int o = 0; o < gRows; o++) {
                        if (o < cout) {
                            PaddedPlaneConv2d.stack(gyd, gyo + (t0 * cout + o) * ohw, cout * ohw, images, oh, ow, strided ? 1 : ph, gp,
                                    gBase + o * gPitch, strided ? pitch : 0, gPitch);
                        } else {
                            java.util.Arrays.fill(gp, gBase + o * gPitch, gBase + (o + 1) * gPitch, 0f);
                        }
                    }
                    for (int b = 0; b < blocks; b++) {
                        for (int row = 0; row < rows; row++) {
                            int c = row / kh, r = row % kh, at = pOff + (b * rows + row) * OB * 3 * VL, a0 = gBase + b * OB * gPitch;
                            if (strided) {
                                // Tap row r: row ho - 1 of the odd-row phase (r = 0), row ho of the even (1) or odd (2) one;
                                // tap columns likewise: odd phase one back, even phase, odd phase.
                                int pr = r == 1 ? 0 : 1, base = (c * 4 + pr * 2) * xLength + lead - (r == 0 ? pitch : 0);
                                dots(length, gp, a0, gPitch, xp, base + xLength - 1, base, base + xLength, partials, at);
                            } else {
                                int base = c * xLength + r * pitch;
                                dots(length, gp, a0, gPitch, xp, base, base + 1, base + 2, partials, at);
                            }
                        }
                    }
                    // The remainder filters transposed: sum_u gY[o, u] x[c, u + r pitch + t] = sum_v x[c, v + r pitch] gY[o, v - t],
                    // four channels (the kernel's rows) against one filter's row read at three shifts (its taps).
                    for (int f = 0; f < rem; f++) {
                        int go = gBase + (blocks * OB + f) * gPitch;
                        for (int cb = 0; cb < cinBlocks; cb++) {
                            for (int r = 0; r < kh; r++) {
                                int at = pOff + blockSize + ((f * cinBlocks + cb) * kh + r) * OB * 3 * VL;
                                dots(length + VL, xp, cb * OB * xLength + r * pitch, xLength, gp, go, go - 1, go - 2, partials, at);
                            }
                        }
                    }
                }
            }
        });
        // Chunks added in order into chunk 0's lanes, then each lane vector summed and stored in weight order.
        float[] gwd = gw.data();
        int gwo = gw.offset();
        Parallel.forRange(blocks * rows + rem * cinBlocks * kh, 1, (lo, hi) -> {
            for (int br = lo; br < hi; br++) {
                for (int e = 0; e < OB * 3; e++) {
                    int at = br * OB * 3 * VL + e * VL, o, c, r;
                    if (br < blocks * rows) {
                        int row = br % rows;
                        o = br / rows * OB + e / 3;
                        c = row / kh;
                        r = row % kh;
                    } else {
                        int q = br - blocks * rows;
                        o = blocks * OB + q / (cinBlocks * kh);
                        c = q / kh % cinBlocks * OB + e / 3;
                        r = q % kh;
                    }
                    if (o >= cout || c >= cin) continue;
                    FloatVector v = FloatVector.fromArray(SPECIES, partials, at);
                    for (int ch = 1; ch < chunks; ch++) v = v.add(FloatVector.fromArray(SPECIES, partials, ch * partialSize + at));
                    v.intoArray(partials, at);
                    int d = gwo + (o * cin + c) * taps + r * 3 + e % 3;
                    float sum = laneSum(partials, at);
                    gwd[d] = accumulate ? gwd[d] + sum : sum;
                }
            }
        });
    }

    /**
     * The {@code VL} lanes at {@code a[at]} added in lane order. Not {@code reduceLanes(ADD)}: its order is
     * unspecified and differs between C2's intrinsic and the Java fallback that runs before C2 compiles a
     * method, so the same call gave other bits in a JVM's first passes (the demo's table on its first run
     * after a build).
     */
    static float laneSum(float[] a, int at) {
        float s = 0f;
        for (int l = 0; l < VL; l++) s += a[at + l];
        return s;
    }

    /**
     * The phase planes of {@code images} planes of {@code h x w} ({@code imageStride} apart from
     * {@code src[s]}) laid end to end as the output gradient is (a zero row, then the image's rows,
     * {@code stride} floats per image): phase {@code 2 pr + pc} at {@code dst[d + (2 pr + pc) length]},
     * holding input row {@code 2 j + pr}, columns {@code 2 q + pc} at {@code lead + pitch + i stride + j
     * pitch + q}; everything else zero.
     */
    private static void phases(float[] src, int s, int imageStride, int images, int h, int w, int pitch, int stride,
                               float[] dst, int d, int lead, int length) {
        java.util.Arrays.fill(dst, d, d + 4 * length, 0f);
        for (int i = 0; i < images; i++) {
            for (int r = 0; r < h; r++) {
                int at = d + (r & 1) * 2 * length + lead + pitch + i * stride + (r >> 1) * pitch;
                RowOps.deinterleave(src, s + i * imageStride + r * w, w, dst, at, dst, at + length);
            }
        }
    }

    /**
     * Adds into {@code acc[at ..]} (12 lane vectors: output channel j's tap t at {@code (3 j + t) VL}) the
     * lane-wise products over {@code n} positions of rows {@code a[a0 + j lda]} (j < 4) and the three
     * taps' reads at {@code b[b0]}, {@code b[b1]}, {@code b[b2]} (one float apart at stride 1).
     */
    static void dots(int n, float[] a, int a0, int lda, float[] b, int b0, int b1, int b2, float[] acc, int at) {
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00,
                s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00;
        for (int u = 0; u < n; u += VL) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, b, b0 + u);
            FloatVector x1 = FloatVector.fromArray(SPECIES, b, b1 + u);
            FloatVector x2 = FloatVector.fromArray(SPECIES, b, b2 + u);
            FloatVector g = FloatVector.fromArray(SPECIES, a, a0 + u);
            s00 = g.fma(x0, s00);
            s01 = g.fma(x1, s01);
            s02 = g.fma(x2, s02);
            g = FloatVector.fromArray(SPECIES, a, a0 + lda + u);
            s10 = g.fma(x0, s10);
            s11 = g.fma(x1, s11);
            s12 = g.fma(x2, s12);
            g = FloatVector.fromArray(SPECIES, a, a0 + 2 * lda + u);
            s20 = g.fma(x0, s20);
            s21 = g.fma(x1, s21);
            s22 = g.fma(x2, s22);
            g = FloatVector.fromArray(SPECIES, a, a0 + 3 * lda + u);
            s30 = g.fma(x0, s30);
            s31 = g.fma(x1, s31);
            s32 = g.fma(x2, s32);
        }
        add(acc, at, s00, s01, s02);
        add(acc, at + 3 * VL, s10, s11, s12);
        add(acc, at + 6 * VL, s20, s21, s22);
        add(acc, at + 9 * VL, s30, s31, s32);
    }

    private static void add(float[] acc, int at, FloatVector t0, FloatVector t1, FloatVector t2) {
        FloatVector.fromArray(SPECIES, acc, at).add(t0).intoArray(acc, at);
        FloatVector.fromArray(SPECIES, acc, at + VL).add(t1).intoArray(acc, at + VL);
        FloatVector.fromArray(SPECIES, acc, at + 2 * VL).add(t2).intoArray(acc, at + 2 * VL);
    }
}
