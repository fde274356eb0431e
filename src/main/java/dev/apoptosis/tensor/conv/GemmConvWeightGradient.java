package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.gemm.Gemm;
import dev.apoptosis.tensor.gemm.GemmVectorDot;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * The weight gradient of a convolution, {@code gW[M, K] = sum over images of gY[M, P] · cols[K, P]^T}
 * per group, as GEMMs over tiles of images (tiles as in {@link GemmConv2d}).
 *
 * <p><b>Two layouts.</b> The contraction runs over output pixels, the contiguous axis of both
 * factors in NCHW, so one operand is "transposed" whatever the formulation:
 * <ul>
 *   <li>With few filters per group (M &lt;= {@link #MAX_FILTERS_FOR_DOT_PRODUCTS}), short patches or a
 *       1x1 kernel ({@link #usesDotProducts}) it is posed as
 *       {@code gY · cols^T} on the {@link Im2col} patch matrix: an NT product with few rows and a
 *       long inner dimension, which {@link Gemm} computes as dot products of contiguous rows
 *       without packing the large patch operand.</li>
 *   <li>Otherwise (more filters over long patches of a larger kernel) it is posed as {@code gY · rows} on patch rows built by {@link Im2row}
 *       ({@code [P, K]}, columns in {@code (kh, kw, c)} order): an NN product whose large operand
 *       packs with straight copies that the many rows of gY then amortise. On the vector path the rows
 *       are not built at all but read from the channels-last image ({@link ImplicitIm2row}). The result is permuted back to weight
 *       order at the end.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> Tiles are grouped into at most {@link #MAX_CHUNKS} chunks whose bounds
 * depend on the batch and weight sizes only, never on the thread count; each chunk's partial sum
 * is accumulated by one thread, tile after tile, and the partials are added in chunk order. The result is therefore the same for any
 * thread count.
 */
final class GemmConvWeightGradient {
    /** Filters per group up to which the NT (dot-product) layout is always used. */
    static final int MAX_FILTERS_FOR_DOT_PRODUCTS = 16;
    /**
     * Patch length (input channels per group x taps) below which the NT layout is used whatever the
     * filter count. Measured on one core, weight gradients at batch 128: a 3x3 kernel over 8 channels
     * (patch 72) takes 8.6-9.1 ms with dot products and 16.3 ms with patch rows; at 16 channels (patch
     * 144, 32 filters, stride 2) patch rows win, 6.3-7.0 ms against 7.8.
     */
    static final int MIN_PATCH_FOR_ROWS = 128;
    /** At most this many partial sums (also bounds the useful parallelism). */
    static final int MAX_CHUNKS = 16;
    /** Upper bound on the floats of all partial sums together. */
    private static final long MAX_PARTIAL_FLOATS = 1L << 23;
    /**
     * Fewer chunks are used when their partial sums would not fit in this many floats (half of a
     * 1 MiB L2): otherwise every tile's GEMM updates a partial sum fetched from L3, and the final
     * combine reads them all from there. For 64 channels (a 147 KiB gradient) 4 chunks instead of
     * 16 make the weight gradient ~10% faster on one core.
     */
    // Not read from CacheSizes: the chunk count sets the order of the partial sums, and results must
    // not depend on the machine.
    private static final long CACHED_PARTIAL_FLOATS = 1L << 17;
    /** Chunks kept even beyond {@link #CACHED_PARTIAL_FLOATS}, so a few threads still share the work evenly. */
    static final int MIN_CHUNKS = 4;

    private GemmConvWeightGradient() {}

    /**
     * True when the NT (dot-product) layout computes {@code g}'s weight gradient: few filters, short
     * patches, or a 1x1 kernel. A 1x1 kernel's patch rows would be a transpose of the whole input per
     * image, while its patch matrix is the input itself (or, with a stride, a quarter of it); measured
     * 3x faster for ResNet-20's strided 1x1 shortcuts (16 to 32 channels: 0.95-0.99 ms against
     * 2.96-3.11) and 1.1-1.4x for 1x1 kernels of 64 to 256 channels.
     */
    static boolean usesDotProducts(ConvGeometry g) {
        int taps = g.kernelH() * g.kernelW();
        return g.outChannelsPerGroup() <= MAX_FILTERS_FOR_DOT_PRODUCTS || taps == 1
                || g.inChannelsPerGroup() * taps < MIN_PATCH_FOR_ROWS;
    }

    /**
     * Images per tile. A tile's columns are the inner dimension of its GEMM; the dot-product path pays
     * its lane sums once per k block of {@link GemmVectorDot#KC}, so its tiles are widened to a whole
     * block (1.15x faster at 16 channels, 32x32, than the forward pass's {@link GemmConv2d#MIN_GEMM_COLUMNS}),
     * but never below {@link #MIN_CHUNKS} tiles. The packed path gains nothing from wider tiles (measured
     * at 32 and 64 channels) and keeps the forward pass's.
     */
    static int imagesPerTile(ConvGeometry g, boolean dots) {
        if (!dots) return GemmConv2d.imagesPerTile(g);
        int wide = GemmConv2d.imagesPerTile(g, GemmVectorDot.KC);
        return Math.max(1, Math.min(wide, g.n() / MIN_CHUNKS));
    }

    static void compute(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        final int groups = g.groups(), cin = g.inChannels(), cout = g.outChannels();
        final int cg = g.inChannelsPerGroup(), mg = g.outChannelsPerGroup();
        final int taps = g.kernelH() * g.kernelW(), kg = cg * taps;
        final int p = g.outH() * g.outW(), hw = g.inH() * g.inW();
        final boolean dots = usesDotProducts(g), rowsInPlace = !dots && ImplicitIm2row.applies(g);
        if (BatchInnerWeightGradient.applies(g, rowsInPlace)) {
            BatchInnerWeightGradient.compute(g, x, gy, gw, accumulate);
            return;
        }
        if (PaddedPlaneWeightGradient.applies(g, rowsInPlace)) {
            PaddedPlaneWeightGradient.compute(g, x, gy, gw, accumulate);
            return;
        }
        ConvPath.GEMM.took();
        final int tile = imagesPerTile(g, dots), tiles = (g.n() + tile - 1) / tile;
        final boolean inPlace = dots && GemmConv2d.inPlacePatches(g);
        final ImplicitIm2row.Plan implicit = rowsInPlace ? ImplicitIm2row.Plan.of(g, tile) : null;
        final int wsize = cout * kg;
        final long cachedChunks = Math.max(MIN_CHUNKS, Math.min(MAX_CHUNKS, CACHED_PARTIAL_FLOATS / wsize));
        // A power of two, so that two or four threads take equal shares: three chunks of a 512-channel
        // gradient (9 MiB each) left one of two threads a third of the work idle (512 ch 4x4, batch 64).
        final int chunks = Math.min(tiles, Integer.highestOneBit((int) Math.max(1, Math.min(cachedChunks, MAX_PARTIAL_FLOATS / wsize))));
        final float[] partials = ConvScratch.floats(Slot.PARTIALS, chunks * wsize);
        final float[] xd = x.data(), gyd = gy.data();
        final int xo = x.offset(), gyo = gy.offset();
        Parallel.forRange(chunks, 1, (lo, hi) -> {
            float[] channelsLast = dots ? null : ConvScratch.floats(Slot.CHANNELS_LAST, ImplicitIm2row.channelsLastFloats(tile, hw, cin));
            for (int c = lo; c < hi; c++) {
                int tLo = (int) ((long) tiles * c / chunks), tHi = (int) ((long) tiles * (c + 1) / chunks);
                for (int t = tLo; t < tHi; t++) {
                    int n0 = t * tile, nt = Math.min(tile, g.n() - n0), cols = nt * p;
                    boolean packed = nt > 1;
                    float[] grads = packed ? ConvScratch.floats(Slot.PACKED_GRAD, cout * cols) : null;
                    if (packed) GemmConv2d.pack(gyd, gyo + n0 * cout * p, cout * p, cout, nt, p, grads);
                    float[] patches = (inPlace && !packed) || implicit != null ? null : ConvScratch.floats(Slot.PATCHES, kg * cols);
                    if (!dots) {
                        for (int i = 0; i < nt; i++) {
                            Im2row.toChannelsLast(xd, xo + (n0 + i) * cin * hw, cin, hw, channelsLast, i * hw * cin);
                        }
                    }
                    float beta = t == tLo ? 0f : 1f;
                    for (int gi = 0; gi < groups; gi++) {
                        float[] a = packed ? grads : gyd;
                        int aOff = packed ? gi * mg * cols : gyo + (n0 * cout + gi * mg) * p;
                        int cOff = c * wsize + gi * mg * kg;
                        if (implicit != null) {
                            ImplicitIm2row.multiply(g, implicit, nt, mg, a, aOff, cols, channelsLast, gi * cg, beta, partials, cOff, kg);
                            continue;
                        }
                        if (!dots) {
                            for (int i = 0; i < nt; i++) {
                                Im2row.im2row(g, channelsLast, i * hw * cin, cin, gi * cg, cg, patches, i * p);
                            }
                            Gemm.sgemm(false, false, mg, kg, cols, 1f, a, aOff, cols, patches, 0, kg, beta,
                                    partials, cOff, kg);
                            continue;
                        }
                        float[] b = patches;
                        int bOff = 0;
                        if (patches == null) {
                            b = xd;
                            bOff = xo + (n0 * cin + gi * cg) * hw;
                        } else {
                            for (int i = 0; i < nt; i++) {
                                Im2col.im2col(g, xd, xo + ((n0 + i) * cin + gi * cg) * hw, cg, patches, i * p, cols);
                            }
                        }
                        Gemm.sgemm(false, true, mg, kg, cols, 1f, a, aOff, cols, b, bOff, cols, beta,
                                partials, cOff, kg);
                    }
                }
            }
        });
        // Partial sums are combined in chunk order, in place of chunk 0, then stored in weight order.
        Parallel.forRange(wsize, 4096, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float s = partials[i];
                for (int c = 1; c < chunks; c++) s += partials[c * wsize + i];
                partials[i] = s;
            }
        });
        float[] gwd = gw.data();
        int gwo = gw.offset();
        if (!dots) {
            Im2row.toWeightOrder(partials, 0, cout, cg, taps, gwd, gwo, accumulate);
        } else {
            for (int i = 0; i < wsize; i++) gwd[gwo + i] = accumulate ? gwd[gwo + i] + partials[i] : partials[i];
        }
    }
}
