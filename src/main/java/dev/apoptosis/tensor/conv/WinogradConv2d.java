package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.CacheSizes;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.gemm.Gemm;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * 3x3 stride-1 convolutions by Winograd's F(2x2, 3x3) algorithm: 16 multiplications per 2x2 block
 * of outputs and channel pair instead of 36, so 2.25x fewer than im2col + GEMM, which already runs
 * near the core's peak (see {@link WinogradTransforms} for the transforms).
 *
 * <p><b>Forward.</b> The output is cut into 2x2 tiles, each reading a 4x4 input window (windows
 * overlap by 2). With the transformed filters {@code U = G g Gᵀ} laid out as 16 matrices
 * {@code U[ξ]} (Cout x Cin) and the transformed input tiles {@code V = Bᵀ d B} as 16 matrices
 * {@code V[ξ]} (Cin x tiles), the 16 products {@code M[ξ] = U[ξ] · V[ξ]} are {@link Gemm} calls
 * with the long tile dimension as columns, and each output tile is {@code Aᵀ M A}.
 *
 * <p><b>Input gradient.</b> With stride 1 it is the convolution of the output gradient with the
 * flipped, in/out-swapped filters and padding {@code 2 - pad} (see
 * {@link GemmConv2d#transposedAsConvolution}), so it runs as a forward pass; paddings above 2 are
 * not supported.
 *
 * <p><b>Weight gradient.</b> The output is linear in each {@code U[ξ]}, so
 * {@code dU[ξ] = Σ_tiles Ŷ[ξ] · V[ξ]ᵀ} with {@code Ŷ = A gy Aᵀ} (the adjoint of the output
 * transform, gradient tiles zero beyond the output) and {@code dW = Gᵀ dU G}: exact, and its GEMMs
 * contract over the long tile dimension.
 *
 * <p><b>Chunks.</b> Work is cut into chunks of about {@link #TARGET_TILES} tiles (the GEMM
 * columns): several whole images when images are small, otherwise one image's band of tile rows,
 * so a chunk's transformed operands stay in cache. Within a chunk the tiles are numbered image by
 * image, row-major, and the transforms run over planes of consecutive tiles (see
 * {@link WinogradTransforms}): every copy reads and writes memory in order, and the arithmetic is
 * vectorised over tiles. The chunking depends on the geometry alone: forward chunks write disjoint
 * outputs, and weight-gradient chunks are summed into a fixed number of partials combined in
 * order, so results are bit-identical for any thread count.
 *
 * <p>F(2x2, 3x3) changes float rounding only mildly (its transforms have entries 0, ±1/2, ±1 and
 * add at most 4x4 terms before and after the products): errors stay within a few hundred float32
 * units of {@code Σ|w||x|} ({@code WinogradConv2dTest} checks 2e-5 of it element by element).
 *
 * <p>{@link Conv2dKernels} dispatches here per call under {@link Winograd#mode()}: see
 * {@link #useForward}, {@link #useBackwardInput} and {@link #useBackwardWeight}.
 */
final class WinogradConv2d {
    /** Tiles (GEMM columns) a chunk aims at. */
    static final int TARGET_TILES = 256;
    /** Filters a thread transforms at least when {@link #filters} is split across threads. */
    private static final int FILTERS_PER_PART = 256;
    /** Weight-gradient partial sums at most. */
    static final int MAX_PARTIALS = 8;

    private WinogradConv2d() {}

    /** True for the geometries this class computes: 3x3, stride 1, dilation 1, no groups, any padding. */
    static boolean supports(ConvGeometry g) {
        return g.kernelH() == 3 && g.kernelW() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1
                && g.dilationW() == 1 && g.groups() == 1;
    }

    /** True when {@link #backwardInput} supports {@code g}: {@link #supports} and padding at most 2. */
    static boolean supportsBackwardInput(ConvGeometry g) {
        return supports(g) && g.padH() <= 2 && g.padW() <= 2;
    }

    /**
     * Where the forward pass and input gradient were measured to beat im2col + GEMM (one core, Zen 4,
     * batch 128, ResNet-20 and VGG shapes): 32 channels and up (1.1-1.3x at 32-64, 1.4-1.6x at
     * 128-256, 1.0-1.25x at 512 on 4x4), outputs of at least 4x4. With 16 channels the GEMMs are too thin for the transforms
     * to pay off (0.8x), and on 2x2 outputs a tile is mostly padding (0.6-0.7x).
     *
     * <p>The batch must also hold at least {@link #MIN_TILES} tiles: the transforms' fixed cost (the
     * filters' above all) is amortised over tiles, and small-batch inference has few. Measured after the
     * filter transform ran as vectors (AMD EPYC Zen 4, {@code bench/ConvPass.java} with
     * {@code -Dapoptosis.winograd=always} against {@code never}, 2 rounds, 1 thread): 64 channels 8x8 at
     * batch 1 (16 tiles) 0.47x, batch 2 0.87x, batch 4 (64 tiles) 1.19x, batch 16 1.30x; 512 channels
     * 4x4 at batch 4 0.48x, batch 8 (32 tiles) 0.92x, batch 16 1.10x, batch 64 1.31x (input gradient
     * 1.28x); 32 channels 16x16 at batch 1 (64 tiles) 1.10x, 8x8 at batch 4 1.01x. (It was 512 tiles
     * while the scalar filter transform cost a quarter of a 512-channel pass.)
     */
    static boolean worthwhile(ConvGeometry g) {
        return Math.min(g.inChannels(), g.outChannels()) >= 32 && g.outH() >= 4 && g.outW() >= 4 && tiles(g) >= MIN_TILES;
    }

    /** The batch's 2x2 output tiles (partial ones at odd sizes included). */
    private static long tiles(ConvGeometry g) {
        return (long) g.n() * ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2);
    }

    /** Fewest tiles in a batch for Winograd to pay off (see {@link #worthwhile}). */
    static final int MIN_TILES = 64;

    /**
     * The weight gradient gains less (its GEMMs pack a transposed operand, and it sums its chunks
     * into partials): 1.1-1.3x from 128 channels; and it needs more tiles: at 256 (batch 64 at 4x4, 16 at
     * 8x8) 0.90-1.11x, at 64 0.63-0.72x (AMD EPYC Zen 4, {@code bench/ConvPass.java}, Winograd always
     * against never, 2 rounds). Below 128 channels it gains on maps of 16x16 and more, from 48 channels:
     * against the GEMM path ({@code apoptosis bench paths --shapes ...}, alternated in one JVM; Zen 4, 1 thread,
     * batch 128 unless noted) 64 to 64 at 32x32 (batch 64) 1.34x, 64 to 128 at 16x16 1.27x (batch 64 1.38x),
     * 128 to 64 (batch 64) 1.39x, 64 to 64 1.18x, 48 to 96 1.29x, 96 to 96 1.52x; at 2 threads 1.15-1.25x. Not at
     * 8x8 (64 to 64 0.90x, 64 to 128 1.08x but 0.92x at 2 threads) nor at 32 channels (32 to 32 at 16x16 0.86x,
     * 32 to 64 0.99x): ResNet-20's own layers keep the GEMM path.
     */
    static boolean worthwhileForWeights(ConvGeometry g) {
        int least = Math.min(g.inChannels(), g.outChannels());
        return worthwhile(g) && tiles(g) >= MIN_TILES_FOR_WEIGHTS
                && (least >= 128 || (least >= 48 && g.outH() * g.outW() >= 256));
    }

    /** Fewest tiles in a batch for the weight gradient to gain (see {@link #worthwhileForWeights}). */
    static final int MIN_TILES_FOR_WEIGHTS = 512;

    /** True when the forward pass (and its pair form) should run here under the current {@link Winograd#mode()}. */
    static boolean useForward(ConvGeometry g) {
        return switch (Winograd.mode()) {
            case NEVER -> false;
            case ALWAYS -> supports(g);
            case AUTO -> supports(g) && worthwhile(g);
        };
    }

    /** As {@link #useForward}, for the input gradient. */
    static boolean useBackwardInput(ConvGeometry g) {
        return useForward(g) && supportsBackwardInput(g);
    }

    /** As {@link #useForward}, for the weight gradient. */
    static boolean useBackwardWeight(ConvGeometry g) {
        return switch (Winograd.mode()) {
            case NEVER -> false;
            case ALWAYS -> supports(g);
            case AUTO -> supports(g) && worthwhileForWeights(g);
        };
    }

    /** How a batch is cut into chunks of {@code images} images times a band of {@code bandRows} tile rows. */
    record Plan(int tilesH, int tilesW, int images, int imageGroups, int bandRows, int bands) {
        static Plan of(ConvGeometry g) {
            int th = (g.outH() + 1) / 2, tw = (g.outW() + 1) / 2, perImage = th * tw;
            if (perImage >= TARGET_TILES) {
                int rows = Math.max(1, Math.min(th, TARGET_TILES / tw));
                return new Plan(th, tw, 1, g.n(), rows, (th + rows - 1) / rows);
            }
            int images = Math.max(1, Math.min(g.n(), TARGET_TILES / perImage));
            // A batch of one chunk would leave the second thread only the GEMMs to share: two chunks of
            // at least MIN_TILES tiles instead (64 channels 8x8 at batch 16, 2 threads: 1.51x against
            // GEMM instead of 0.81x; 512 channels 4x4 at batch 64 1.28x instead of 1.07x; AMD EPYC Zen 4).
            // Forward chunks write disjoint outputs, so this changes none of their bits (the weight
            // gradient sums chunks into partials: its bits follow the plan, which the geometry fixes).
            if (images >= g.n() && (g.n() + 1) / 2 * perImage >= MIN_TILES) images = (g.n() + 1) / 2;
            return new Plan(th, tw, images, (g.n() + images - 1) / images, th, 1);
        }

        int chunks() {
            return imageGroups * bands;
        }
    }

    /** The images and tile rows of one chunk, and the sizes derived from them. */
    private record Chunk(int n0, int images, int ty0, int rows, int tilesW, int bandTiles, int tiles) {
        static Chunk of(ConvGeometry g, Plan plan, int chunk) {
            int group = chunk / plan.bands(), band = chunk % plan.bands();
            int n0 = group * plan.images(), ni = Math.min(plan.images(), g.n() - n0);
            int ty0 = band * plan.bandRows(), rows = Math.min(plan.bandRows(), plan.tilesH() - ty0);
            int bandTiles = rows * plan.tilesW();
            return new Chunk(n0, ni, ty0, rows, plan.tilesW(), bandTiles, ni * bandTiles);
        }
    }

    /** {@code y (+)= Σ_j conv(xs[j], ws[j]) + bias}: the inputs stacked along the GEMMs' inner dimension. */
    static void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, Tensor bias, Tensor y, boolean accumulate) {
        ConvPath.WINOGRAD.took();
        forward(g, xs, ws, false, bias, y, accumulate);
    }

    /**
     * {@link #forward(ConvGeometry, Tensor[], Tensor[], Tensor, Tensor, boolean)}; with {@code flipped},
     * {@code ws} are the filters of the convolution whose input gradient this is ({@code [k][c][3][3]}
     * for this one's {@code c -> k}), read flipped and transposed by the filter transform.
     */
    private static void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y,
                                boolean accumulate) {
        if (!supports(g)) throw new IllegalArgumentException("conv2d: Winograd F(2x2, 3x3) does not support " + g);
        final boolean vector = Simd.enabled();
        final float[] u = filters(g, ws, flipped, vector);
        final Filters packed = Filters.pack(g.outChannels(), ws.length * g.inChannels(), u);
        final Plan plan = Plan.of(g);
        Parallel.forRange(plan.chunks(), 1, (lo, hi) -> {
            for (int chunk = lo; chunk < hi; chunk++) {
                forwardChunk(g, Chunk.of(g, plan, chunk), xs, packed, bias, y, accumulate, vector);
            }
        });
    }

    /**
     * The 16 filter matrices {@code U[ξ]} ({@code k x ct}) as every chunk's GEMMs take them: packed
     * once per call for {@link Gemm#sgemmPackedA} ({@code size} floats each), or as they are
     * ({@code size} 0) where the GEMM would not take them packed.
     */
    private record Filters(int k, int ct, float[] u, float[] packed, int size) {
        static Filters pack(int k, int ct, float[] u) {
            int size = Gemm.packedASize(k, ct);
            // Packed once, a matrix is read from wherever the 16 of them fit; packed per chunk, from the
            // GEMM's own buffer in L2. Measured (AMD EPYC Zen 4, 1 thread, batch 128): 32-256 channels
            // (64-256 KiB a matrix) 2-7% faster packed once, 512 (1 MiB) 21% slower.
            if (size == 0 || (long) size * Float.BYTES > CacheSizes.get().l2Bytes() / 2) return new Filters(k, ct, u, null, 0);
            float[] packed = ConvScratch.floats(Slot.WINOGRAD_PACKED_FILTERS, 16 * size);
            Parallel.forRange(16, 1, (lo, hi) -> {
                for (int xi = lo; xi < hi; xi++) Gemm.packA(k, ct, u, xi * k * ct, ct, packed, xi * size);
            });
            return new Filters(k, ct, u, packed, size);
        }

        /** {@code m[mOff] = U[ξ] · v[vOff]} ({@code ct x n}, leading dimension n). */
        void multiply(int xi, int n, float[] v, int vOff, float[] m, int mOff) {
            if (packed != null) {
                Gemm.sgemmPackedA(k, n, ct, 1f, packed, xi * size, v, vOff, n, 0f, m, mOff, n);
            } else {
                Gemm.sgemm(false, false, k, n, ct, 1f, u, xi * k * ct, ct, v, vOff, n, 0f, m, mOff, n);
            }
        }
    }

    /** {@code gx (+)= Σ_j conv^T(gys[j], ws[j])} as the forward pass of the transposed convolution. */
    static void backwardInput(ConvGeometry g, Tensor[] gys, Tensor[] ws, Tensor gx, boolean accumulate) {
        ConvPath.WINOGRAD.took();
        if (!supportsBackwardInput(g)) {
            throw new IllegalArgumentException("conv2d: Winograd input gradient does not support " + g);
        }
        forward(GemmConv2d.transposedAsConvolution(g), gys, ws, true, null, gx, accumulate);
    }

    /**
     * The 16 matrices {@code U[ξ]} (Cout x pairs Cin), filters of term j in columns {@code [j Cin, (j+1) Cin)};
     * with {@code flipped}, filter (o, i) is the original filter (i, o) rotated by 180 degrees (see
     * {@link #forward(ConvGeometry, Tensor[], Tensor[], boolean, Tensor, Tensor, boolean)}): read in
     * place, which saved the flipped copy's pass (15% of a 512-channel 4x4 input gradient, AMD EPYC Zen 4).
     */
    private static float[] filters(ConvGeometry g, Tensor[] ws, boolean flipped, boolean vector) {
        final int c = g.inChannels(), k = g.outChannels(), ct = ws.length * c;
        // Every entry is written below; a thread's reused buffer, not a fresh 4 MB array per call at 256 channels.
        float[] u = ConvScratch.floats(Slot.WINOGRAD_FILTERS, 16 * k * ct);
        // Filter (o, i) starts at first(o) + i * stride, its taps tapStep apart.
        final int stride = flipped ? k * 9 : 9, tapStep = flipped ? -1 : 1;
        // Split over output channels (disjoint rows of every U[ξ]): on one thread this was ~5% of a
        // 64-channel forward, run before the chunks could start.
        Parallel.forRange(k, Math.max(1, FILTERS_PER_PART / ct), (lo, hi) -> {
            float[] taps = new float[vector ? WinogradTransformsVector.FILTER_STAGE : 9];
            for (int j = 0; j < ws.length; j++) {
                float[] wd = ws[j].data();
                int wo = ws[j].offset();
                for (int o = lo; o < hi; o++) {
                    int first = wo + (flipped ? o * 9 + 8 : o * c * 9), uo = o * ct + j * c;
                    if (vector) {
                        WinogradTransformsVector.filters(wd, first, stride, tapStep, c, u, uo, k * ct, taps);
                    } else {
                        for (int i = 0; i < c; i++) {
                            for (int t = 0; t < 9; t++) taps[t] = wd[first + i * stride + t * tapStep];
                            WinogradTransforms.filter(taps, 0, u, uo + i, k * ct);
                        }
                    }
                }
            }
        });
        return u;
    }

    private static void forwardChunk(ConvGeometry g, Chunk ch, Tensor[] xs, Filters u, Tensor bias, Tensor y,
                                     boolean accumulate, boolean vector) {
        final int c = g.inChannels(), k = g.outChannels(), ct = xs.length * c, p = ch.tiles();
        final int vStride = xiStride(ct * p), mStride = xiStride(k * p);
        float[] v = ConvScratch.floats(Slot.WINOGRAD_TRANSFORMED, 16 * vStride);
        for (int j = 0; j < xs.length; j++) transformInput(g, ch, xs[j], v, j * c * p, vStride, vector);

        float[] m = ConvScratch.floats(Slot.WINOGRAD_PRODUCTS, 16 * mStride);
        for (int xi = 0; xi < 16; xi++) {
            u.multiply(xi, p, v, xi * vStride, m, xi * mStride);
        }

        final int tb = ch.bandTiles(), oh = g.outH(), ow = g.outW();
        final int pixels = Math.min(2 * ch.rows(), oh - 2 * ch.ty0()) * ow;
        int[] idx = outputIndex(ch, ow, pixels);
        float[] planes = ConvScratch.floats(Slot.WINOGRAD_PLANES, 4 * p);
        float[] yd = y.data();
        // Outputs one vector wide (16x16 with AVX-512, 8x8 with AVX2) are stored whole rows at a time.
        final boolean rowsAtOnce = vector && ow == WinogradTransformsVector.lanes();
        for (int o = 0; o < k; o++) {
            // One output transform over the tiles of every image of the chunk (a vector loop long enough
            // to pay for its set-up: one image of an 8x8 output is a single vector), then the stores.
            if (vector) {
                WinogradTransformsVector.outputTiles(m, o * p, mStride, planes, 0, p, p);
            } else {
                WinogradTransforms.outputTiles(m, o * p, mStride, planes, 0, p, 0, p);
            }
            float b = bias == null ? 0f : bias.data()[bias.offset() + o];
            for (int i = 0; i < ch.images(); i++) {
                int dst = y.offset() + ((ch.n0() + i) * k + o) * oh * ow + 2 * ch.ty0() * ow;
                if (rowsAtOnce) {
                    WinogradTransformsVector.storeOutputRows(planes, i * tb, p, idx, b, yd, dst, accumulate, pixels / ow);
                } else if (vector) {
                    WinogradTransformsVector.storeOutput(planes, i * tb, idx, b, yd, dst, accumulate, pixels);
                } else {
                    WinogradTransforms.storeOutput(planes, i * tb, idx, b, yd, dst, accumulate, 0, pixels);
                }
            }
        }
    }

    /**
     * For each output pixel z of a chunk's band (row-major, {@code ow} wide, rows below the output
     * left out), where it lies in the first image's part of the output planes:
     * {@code Y_ab[ty tilesW + tx]} for pixel {@code (2ty + a, 2tx + b)}, plane {@code 2a + b} of
     * {@code tiles} floats (every image of the chunk; image i's part {@code i bandTiles} further).
     */
    private static int[] outputIndex(Chunk ch, int ow, int pixels) {
        int[] idx = ConvScratch.ints(ConvScratch.IntSlot.WINOGRAD_OUTPUT_INDEX, pixels);
        for (int z = 0; z < pixels; z++) {
            int row = z / ow, col = z % ow;
            idx[z] = (2 * (row & 1) + (col & 1)) * ch.tiles() + (row >> 1) * ch.tilesW() + (col >> 1);
        }
        return idx;
    }

    /**
     * {@code V[ξ][c][p]} of every channel and image of a chunk, to {@code v[out + ξ xiStride + c p + ...]}:
     * each zero-padded input row goes through {@code inputRow} into even- and
     * odd-row planes, which {@code inputColumns} then combines.
     */
    private static void transformInput(ConvGeometry g, Chunk ch, Tensor x, float[] v, int out, int xiStride,
                                       boolean vector) {
        final int c = g.inChannels(), h = g.inH(), w = g.inW(), padW = g.padW();
        final int tw = ch.tilesW(), tb = ch.bandTiles(), p = ch.tiles(), pw = 2 * tw + 2;
        final int rowsIn = 2 * ch.rows() + 2, row0 = 2 * ch.ty0() - g.padH();
        // The vector row transform writes whole half vectors of tiles: the last row of each parity
        // may run up to a half vector past its tiles, into this slack.
        final int slack = vector ? WinogradTransformsVector.lanes() : 0;
        final int parityStride = (ch.rows() + 1) * tw + slack;
        final int colLo = Math.min(pw, padW), colHi = Math.min(pw, padW + w);
        float[] r = ConvScratch.floats(Slot.WINOGRAD_PLANES, 8 * parityStride);
        // The padding columns of the row buffer stay zero: input rows only ever fill [colLo, colHi).
        // It also reads a vector and two floats from the row's last half vector of tiles: zeros past pw.
        final int rowLength = pw + 2 * slack;
        float[] row = ConvScratch.floats(Slot.WINOGRAD_ROW, rowLength), zeros = ConvScratch.floats(Slot.WINOGRAD_ZEROS, rowLength);
        java.util.Arrays.fill(row, 0, rowLength, 0f);
        java.util.Arrays.fill(zeros, 0, rowLength, 0f);
        float[] xd = x.data();
        int first = vector ? inputWindows(g, ch, x, v, out, xiStride) : 0;
        // Rows of a quarter vector of tiles go two at a time (rows 2 apart, whose tiles are neighbours
        // in their plane), in a second row buffer.
        final boolean pairs = vector && 4 * tw == WinogradTransformsVector.lanes();
        float[] row2 = pairs ? ConvScratch.floats(Slot.WINOGRAD_ROW_2, rowLength) : null;
        if (pairs) java.util.Arrays.fill(row2, 0, rowLength, 0f);
        for (int i = first; i < ch.images(); i++) {
            for (int cc = 0; cc < c; cc++) {
                int src = x.offset() + ((ch.n0() + i) * c + cc) * h * w;
                if (pairs) {
                    // Rows lr and lr + 2 (zeros past the band), lr = 0, 1, 4, 5, 8, ...
                    for (int lr = 0; lr < rowsIn; lr += (lr & 1) == 0 ? 1 : 3) {
                        float[] a = paddedRow(xd, src, row0 + lr, h, w, padW, colLo, colHi, row, zeros);
                        float[] b = lr + 2 < rowsIn ? paddedRow(xd, src, row0 + lr + 2, h, w, padW, colLo, colHi, row2, zeros) : zeros;
                        WinogradTransformsVector.inputRowPair(a, b, r, (lr & 1) * parityStride + (lr >> 1) * tw, 2 * parityStride);
                    }
                } else {
                    for (int lr = 0; lr < rowsIn; lr++) {
                        float[] in = paddedRow(xd, src, row0 + lr, h, w, padW, colLo, colHi, row, zeros);
                        inputRow(in, tw, r, (lr & 1) * parityStride + (lr >> 1) * tw, 2 * parityStride, vector);
                    }
                }
                int o = out + cc * p + i * tb;
                if (vector) {
                    WinogradTransformsVector.inputColumns(r, 0, parityStride, tw, v, o, xiStride, tb);
                } else {
                    WinogradTransforms.inputColumns(r, 0, parityStride, tw, v, o, xiStride, 0, tb);
                }
            }
        }
    }

    /** Input row {@code ir} of a channel plane at {@code src}, zero-padded in {@code buffer}; {@code zeros} outside the image. */
    private static float[] paddedRow(float[] xd, int src, int ir, int h, int w, int padW, int colLo, int colHi, float[] buffer,
                                     float[] zeros) {
        if (ir < 0 || ir >= h) return zeros;
        if (colHi > colLo) System.arraycopy(xd, src + ir * w + colLo - padW, buffer, colLo, colHi - colLo);
        return buffer;
    }

    /**
     * The row transform, as vectors for rows of at least half a vector of tiles: with fewer, each
     * store wastes most of its lanes and the next row's overlaps it (64 channels 8x8, four tiles a row:
     * 0.95-0.97x the scalar loop; 32 channels 16x16, eight: 1.07-1.10x; bench/ab_conv.sh, AMD EPYC Zen 4).
     */
    private static void inputRow(float[] row, int tilesW, float[] r, int out, int planeStride, boolean vector) {
        if (vector && 2 * tilesW >= WinogradTransformsVector.lanes()) {
            WinogradTransformsVector.inputRow(row, tilesW, r, out, planeStride);
        } else {
            WinogradTransforms.inputRow(row, tilesW, r, out, planeStride);
        }
    }

    /**
     * {@link #transformInput} of the chunk's first images whose band tiles fill whole vectors, several
     * images a vector ({@link WinogradTransformsVector#inputWindows}: 4x4 outputs four images a vector
     * with AVX-512, two with AVX2; 2x2 outputs sixteen or eight), where the row planes are too short to
     * run as vectors; returns how many images it did (0 if none). Not for one image a vector (8x8 outputs
     * with AVX-512), where the plane transforms already run whole vectors of tiles: 0.95-0.96x at 64
     * channels, 1.06x at 256 (forward and input gradient, bench/ab_conv.sh, 5 rounds, AMD EPYC Zen 4).
     */
    private static int inputWindows(ConvGeometry g, Chunk ch, Tensor x, float[] v, int out, int xiStride) {
        final int vl = WinogradTransformsVector.lanes(), tb = ch.bandTiles();
        if (vl % tb != 0 || tb == vl) return 0;
        final int per = vl / tb, groups = ch.images() / per;
        if (groups == 0) return 0;
        final int c = g.inChannels(), h = g.inH(), w = g.inW(), tw = ch.tilesW(), p = ch.tiles(), image = c * h * w;
        final int row0 = 2 * ch.ty0() - g.padH();
        int[] window = ConvScratch.ints(ConvScratch.IntSlot.WINOGRAD_INPUT_WINDOW, 16 * vl);
        for (int e = 0; e < 16; e++) {
            for (int lane = 0; lane < vl; lane++) {
                int t = lane % tb, row = row0 + 2 * (t / tw) + e / 4, col = 2 * (t % tw) + e % 4 - g.padW();
                boolean inside = row >= 0 && row < h && col >= 0 && col < w;
                window[e * vl + lane] = inside ? lane / tb * image + row * w + col : -1;
            }
        }
        float[] stage = ConvScratch.floats(Slot.WINOGRAD_WINDOWS, 16 * vl), xd = x.data();
        for (int cc = 0; cc < c; cc++) {
            for (int q = 0; q < groups; q++) {
                int i0 = q * per, base = x.offset() + ((ch.n0() + i0) * c + cc) * h * w;
                WinogradTransformsVector.inputWindows(xd, base, window, stage, v, out + cc * p + i0 * tb, xiStride);
            }
        }
        return groups * per;
    }

    /**
     * The distance between the 16 matrices of a transformed operand: {@code size} rounded up to a
     * whole cache line plus one more, so that the 16 streams a transform reads or writes at once do
     * not fall into the same cache sets (as they would for power-of-two sizes such as 32 x 256).
     */
    static int xiStride(int size) {
        return (size + 15) / 16 * 16 + 16;
    }

    /** {@code gw (+)= dconv/dw}: {@code dU[ξ] = Σ Ŷ[ξ] V[ξ]ᵀ} over chunks in fixed partials, then {@code Gᵀ dU G}. */
    static void backwardWeight(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        ConvPath.WINOGRAD.took();
        if (!supports(g)) throw new IllegalArgumentException("conv2d: Winograd F(2x2, 3x3) does not support " + g);
        final boolean vector = Simd.enabled();
        final Plan plan = Plan.of(g);
        final int c = g.inChannels(), k = g.outChannels(), size = 16 * k * c;
        final int chunks = plan.chunks(), parts = Math.min(chunks, MAX_PARTIALS);
        final float[] partials = ConvScratch.floats(Slot.WINOGRAD_PARTIALS, parts * size);
        Parallel.forRange(parts, 1, (lo, hi) -> {
            for (int q = lo; q < hi; q++) {
                int first = (int) ((long) chunks * q / parts), last = (int) ((long) chunks * (q + 1) / parts);
                for (int chunk = first; chunk < last; chunk++) {
                    weightChunk(g, Chunk.of(g, plan, chunk), x, gy, partials, q * size, chunk > first, vector);
                }
            }
        });
        for (int i = 0; i < size; i++) {
            float s = partials[i];
            for (int q = 1; q < parts; q++) s += partials[q * size + i];
            partials[i] = s;
        }
        float[] gwd = gw.data();
        for (int o = 0; o < k; o++) {
            for (int i = 0; i < c; i++) {
                WinogradTransforms.filterGradient(partials, o * c + i, k * c, gwd, gw.offset() + (o * c + i) * 9, accumulate);
            }
        }
    }

    private static void weightChunk(ConvGeometry g, Chunk ch, Tensor x, Tensor gy, float[] partials, int partOff,
                                    boolean add, boolean vector) {
        final int c = g.inChannels(), k = g.outChannels(), p = ch.tiles(), tb = ch.bandTiles();
        final int vStride = xiStride(c * p), yStride = xiStride(k * p);
        float[] v = ConvScratch.floats(Slot.WINOGRAD_TRANSFORMED, 16 * vStride);
        transformInput(g, ch, x, v, 0, vStride, vector);

        float[] yhat = ConvScratch.floats(Slot.WINOGRAD_PRODUCTS, 16 * yStride);
        float[] planes = ConvScratch.floats(Slot.WINOGRAD_PLANES, 4 * tb);
        final int oh = g.outH(), ow = g.outW();
        for (int i = 0; i < ch.images(); i++) {
            for (int o = 0; o < k; o++) {
                loadGradient(gy, gy.offset() + ((ch.n0() + i) * k + o) * oh * ow, ch, oh, ow, planes, tb);
                int out = o * p + i * tb;
                if (vector) {
                    WinogradTransformsVector.gradientTiles(planes, 0, tb, yhat, out, yStride, tb);
                } else {
                    WinogradTransforms.gradientTiles(planes, 0, tb, yhat, out, yStride, 0, tb);
                }
            }
        }
        for (int xi = 0; xi < 16; xi++) {
            Gemm.sgemm(false, true, k, c, p, 1f, yhat, xi * yStride, p, v, xi * vStride, p, add ? 1f : 0f,
                    partials, partOff + xi * k * c, c);
        }
    }

    /** The output-gradient planes {@code gy_ab[p] = gy[2ty + a][2tx + b]} of one image and channel, zero beyond the output. */
    private static void loadGradient(Tensor gy, int src, Chunk ch, int oh, int ow, float[] planes, int tb) {
        final float[] gd = gy.data();
        final int tw = ch.tilesW(), pairs = ow / 2;
        for (int ty = 0; ty < ch.rows(); ty++) {
            for (int a = 0; a < 2; a++) {
                int oy = 2 * (ch.ty0() + ty) + a, s0 = 2 * a * tb + ty * tw, s1 = s0 + tb;
                if (oy >= oh) {
                    java.util.Arrays.fill(planes, s0, s0 + tw, 0f);
                    java.util.Arrays.fill(planes, s1, s1 + tw, 0f);
                    continue;
                }
                int d = src + oy * ow;
                for (int tx = 0; tx < pairs; tx++) {
                    planes[s0 + tx] = gd[d + 2 * tx];
                    planes[s1 + tx] = gd[d + 2 * tx + 1];
                }
                if (pairs < tw) {
                    planes[s0 + pairs] = gd[d + 2 * pairs];
                    planes[s1 + pairs] = 0f;
                }
            }
        }
    }
}
