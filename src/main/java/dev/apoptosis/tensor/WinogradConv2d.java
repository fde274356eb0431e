package dev.apoptosis.tensor;

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
 * <p><b>Chunks and lanes.</b> Work is cut into chunks of up to {@link #LANES} images and a band of
 * tile rows. Inside a chunk the input band is copied lane-innermost (one lane per image, zero
 * padding made explicit), so every transform is plain vector arithmetic over images, without
 * gathers, and a tile's column in {@code V[ξ]} is {@code (tile row, tile column, image)}. Bands hold
 * about {@link #TARGET_TILES} tiles so a chunk's transformed operands stay in L2. The chunking
 * depends on the geometry alone: forward chunks write disjoint outputs, and weight-gradient chunks
 * are summed into a fixed number of partials combined in order, so results are bit-identical for
 * any thread count.
 *
 * <p>F(2x2, 3x3) changes float rounding only mildly (its transforms have entries 0, ±1/2, ±1):
 * relative errors stay within a few units of float precision times the operands' scale.
 */
final class WinogradConv2d {
    /** Images per chunk: one per lane of the transforms. */
    static final int LANES = 16;
    /** Tiles (GEMM columns) a chunk aims at. */
    static final int TARGET_TILES = 256;
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
     * Where Winograd was measured to beat im2col + GEMM (one core, Zen 4, batch 128): at 16
     * channels and up. Below that the GEMMs are too thin for the transforms to pay off.
     */
    static boolean worthwhile(ConvGeometry g) {
        return Math.min(g.inChannels(), g.outChannels()) >= 16;
    }

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
        return useForward(g);
    }

    /** How a batch is cut into chunks: image groups of {@code lanes} times bands of {@code bandRows} tile rows. */
    record Plan(int tilesH, int tilesW, int lanes, int imageGroups, int bandRows, int bands) {
        static Plan of(ConvGeometry g) {
            int th = (g.outH() + 1) / 2, tw = (g.outW() + 1) / 2;
            int lanes = Math.min(LANES, g.n());
            int groups = (g.n() + lanes - 1) / lanes;
            int rows = Math.max(1, Math.min(th, TARGET_TILES / (tw * lanes)));
            return new Plan(th, tw, lanes, groups, rows, (th + rows - 1) / rows);
        }

        int chunks() {
            return imageGroups * bands;
        }
    }

    /** {@code y (+)= Σ_j conv(xs[j], ws[j]) + bias}: the inputs stacked along the GEMMs' inner dimension. */
    static void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, Tensor bias, Tensor y, boolean accumulate) {
        if (!supports(g)) throw new IllegalArgumentException("conv2d: Winograd F(2x2, 3x3) does not support " + g);
        final boolean vector = Simd.enabled();
        final float[] u = filters(g, ws);
        final Plan plan = Plan.of(g);
        Parallel.forRange(plan.chunks(), 1, (lo, hi) -> {
            for (int chunk = lo; chunk < hi; chunk++) forwardChunk(g, plan, chunk, xs, u, bias, y, accumulate, vector);
        });
    }

    /** {@code gx (+)= Σ_j conv^T(gys[j], ws[j])} as the forward pass of the transposed convolution. */
    static void backwardInput(ConvGeometry g, Tensor[] gys, Tensor[] ws, Tensor gx, boolean accumulate) {
        if (!supportsBackwardInput(g)) {
            throw new IllegalArgumentException("conv2d: Winograd input gradient does not support " + g);
        }
        ConvGeometry t = GemmConv2d.transposedAsConvolution(g);
        Tensor[] flipped = new Tensor[ws.length];
        for (int j = 0; j < ws.length; j++) flipped[j] = GemmConv2d.flippedTransposedWeight(g, ws[j]);
        forward(t, gys, flipped, null, gx, accumulate);
    }

    /** The 16 matrices {@code U[ξ]} (Cout x pairs Cin), filters of term j in columns {@code [j Cin, (j+1) Cin)}. */
    private static float[] filters(ConvGeometry g, Tensor[] ws) {
        final int c = g.inChannels(), k = g.outChannels(), ct = ws.length * c;
        float[] u = new float[16 * k * ct];
        for (int j = 0; j < ws.length; j++) {
            float[] wd = ws[j].data();
            int wo = ws[j].offset();
            for (int o = 0; o < k; o++) {
                for (int i = 0; i < c; i++) WinogradTransforms.filter(wd, wo + (o * c + i) * 9, u, o * ct + j * c + i, k * ct);
            }
        }
        return u;
    }

    private static void forwardChunk(ConvGeometry g, Plan plan, int chunk, Tensor[] xs, float[] u, Tensor bias,
                                     Tensor y, boolean accumulate, boolean vector) {
        final int c = g.inChannels(), k = g.outChannels(), ct = xs.length * c;
        final int group = chunk / plan.bands(), band = chunk % plan.bands();
        final int n0 = group * plan.lanes(), ni = Math.min(plan.lanes(), g.n() - n0);
        final int ty0 = band * plan.bandRows(), rows = Math.min(plan.bandRows(), plan.tilesH() - ty0);
        final int tw = plan.tilesW(), p = rows * tw * ni;
        final int pw = 2 * tw + 2, rh = 2 * rows + 2, plane = rh * pw * ni;

        float[] xt = Scratch.floats(Scratch.INPUT, ct * plane);
        for (int j = 0; j < xs.length; j++) gatherInput(g, xs[j], n0, ni, 2 * ty0 - g.padH(), rh, pw, xt, j * c * plane);
        float[] v = Scratch.floats(Scratch.TRANSFORMED, 16 * ct * p);
        transformInput(xt, ct, plane, rows, pw, tw, ni, v, p, vector);

        float[] m = Scratch.floats(Scratch.PRODUCTS, 16 * k * p);
        for (int xi = 0; xi < 16; xi++) {
            Gemm.sgemm(false, false, k, p, ct, 1f, u, xi * k * ct, ct, v, xi * ct * p, p, 0f, m, xi * k * p, p);
        }

        final int ow2 = 2 * tw, oh = g.outH(), ow = g.outW();
        float[] out = Scratch.floats(Scratch.OUTPUT, 2 * rows * ow2 * ni);
        float[] yd = y.data();
        for (int o = 0; o < k; o++) {
            for (int r = 0; r < rows; r++) {
                int in = o * p + r * tw * ni, at = 2 * r * ow2 * ni;
                if (vector) {
                    WinogradTransformsVector.outputRow(m, in, k * p, tw, out, at, ow2 * ni, ni);
                } else {
                    WinogradTransforms.outputRow(m, in, k * p, tw, out, at, ow2 * ni, ni);
                }
            }
            float b = bias == null ? 0f : bias.data()[bias.offset() + o];
            int orows = Math.min(2 * rows, oh - 2 * ty0);
            for (int i = 0; i < ni; i++) {
                int dst = y.offset() + ((n0 + i) * k + o) * oh * ow + 2 * ty0 * ow;
                for (int r = 0; r < orows; r++) {
                    int d = dst + r * ow, s = r * ow2 * ni + i;
                    if (accumulate) {
                        for (int q = 0; q < ow; q++) yd[d + q] += out[s + q * ni] + b;
                    } else {
                        for (int q = 0; q < ow; q++) yd[d + q] = out[s + q * ni] + b;
                    }
                }
            }
        }
    }

    /**
     * Copies rows {@code [row0, row0 + rh)} (in input coordinates, may lie in the padding) of images
     * {@code [n0, n0 + ni)} lane-innermost: {@code xt[off + ((c rh + r) pw + s) ni + i]} is input
     * pixel {@code (row0 + r, s - padW)} of channel c of image {@code n0 + i}, zero outside the input.
     */
    private static void gatherInput(ConvGeometry g, Tensor x, int n0, int ni, int row0, int rh, int pw, float[] xt,
                                    int off) {
        final int c = g.inChannels(), h = g.inH(), w = g.inW(), padW = g.padW();
        final int colLo = Math.min(pw, padW), colHi = Math.min(pw, padW + w);
        final float[] xd = x.data();
        for (int i = 0; i < ni; i++) {
            for (int ch = 0; ch < c; ch++) {
                int src = x.offset() + ((n0 + i) * c + ch) * h * w;
                int base = off + ch * rh * pw * ni + i;
                for (int r = 0; r < rh; r++) {
                    int ir = row0 + r, d = base + r * pw * ni;
                    if (ir < 0 || ir >= h) {
                        for (int s = 0; s < pw; s++) xt[d + s * ni] = 0f;
                        continue;
                    }
                    int srow = src + ir * w - padW;
                    for (int s = 0; s < colLo; s++) xt[d + s * ni] = 0f;
                    for (int s = colLo; s < colHi; s++) xt[d + s * ni] = xd[srow + s];
                    for (int s = colHi; s < pw; s++) xt[d + s * ni] = 0f;
                }
            }
        }
    }

    /** {@code V[ξ][c][tile]} for every channel and tile row of a gathered band. */
    private static void transformInput(float[] xt, int channels, int plane, int rows, int pw, int tw, int ni,
                                       float[] v, int p, boolean vector) {
        for (int ch = 0; ch < channels; ch++) {
            for (int r = 0; r < rows; r++) {
                int in = ch * plane + 2 * r * pw * ni, out = ch * p + r * tw * ni;
                if (vector) {
                    WinogradTransformsVector.inputRow(xt, in, pw * ni, tw, v, out, channels * p, ni);
                } else {
                    WinogradTransforms.inputRow(xt, in, pw * ni, tw, v, out, channels * p, ni);
                }
            }
        }
    }

    /** {@code gw (+)= dconv/dw}: {@code dU[ξ] = Σ Ŷ[ξ] V[ξ]ᵀ} over chunks in fixed partials, then {@code Gᵀ dU G}. */
    static void backwardWeight(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        if (!supports(g)) throw new IllegalArgumentException("conv2d: Winograd F(2x2, 3x3) does not support " + g);
        final boolean vector = Simd.enabled();
        final Plan plan = Plan.of(g);
        final int c = g.inChannels(), k = g.outChannels(), size = 16 * k * c;
        final int chunks = plan.chunks(), parts = Math.min(chunks, MAX_PARTIALS);
        final float[] partials = Scratch.floats(Scratch.PARTIALS, parts * size);
        Parallel.forRange(parts, 1, (lo, hi) -> {
            for (int q = lo; q < hi; q++) {
                int first = (int) ((long) chunks * q / parts), last = (int) ((long) chunks * (q + 1) / parts);
                for (int chunk = first; chunk < last; chunk++) {
                    weightChunk(g, plan, chunk, x, gy, partials, q * size, chunk > first, vector);
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

    private static void weightChunk(ConvGeometry g, Plan plan, int chunk, Tensor x, Tensor gy, float[] partials,
                                    int partOff, boolean add, boolean vector) {
        final int c = g.inChannels(), k = g.outChannels();
        final int group = chunk / plan.bands(), band = chunk % plan.bands();
        final int n0 = group * plan.lanes(), ni = Math.min(plan.lanes(), g.n() - n0);
        final int ty0 = band * plan.bandRows(), rows = Math.min(plan.bandRows(), plan.tilesH() - ty0);
        final int tw = plan.tilesW(), p = rows * tw * ni;
        final int pw = 2 * tw + 2, rh = 2 * rows + 2, plane = rh * pw * ni;

        float[] xt = Scratch.floats(Scratch.INPUT, c * plane);
        gatherInput(g, x, n0, ni, 2 * ty0 - g.padH(), rh, pw, xt, 0);
        float[] v = Scratch.floats(Scratch.TRANSFORMED, 16 * c * p);
        transformInput(xt, c, plane, rows, pw, tw, ni, v, p, vector);

        final int ow2 = 2 * tw, gplane = 2 * rows * ow2 * ni;
        float[] gt = Scratch.floats(Scratch.OUTPUT, k * gplane);
        gatherGradient(g, gy, n0, ni, 2 * ty0, 2 * rows, ow2, gt);
        float[] yhat = Scratch.floats(Scratch.PRODUCTS, 16 * k * p);
        for (int o = 0; o < k; o++) {
            for (int r = 0; r < rows; r++) {
                int in = o * gplane + 2 * r * ow2 * ni, out = o * p + r * tw * ni;
                if (vector) {
                    WinogradTransformsVector.gradientRow(gt, in, ow2 * ni, tw, yhat, out, k * p, ni);
                } else {
                    WinogradTransforms.gradientRow(gt, in, ow2 * ni, tw, yhat, out, k * p, ni);
                }
            }
        }
        for (int xi = 0; xi < 16; xi++) {
            Gemm.sgemm(false, true, k, c, p, 1f, yhat, xi * k * p, p, v, xi * c * p, p, add ? 1f : 0f,
                    partials, partOff + xi * k * c, c);
        }
    }

    /** Output-gradient rows {@code [row0, row0 + rows)} lane-innermost, {@code cols} wide, zero beyond the output. */
    private static void gatherGradient(ConvGeometry g, Tensor gy, int n0, int ni, int row0, int rows, int cols,
                                       float[] gt) {
        final int k = g.outChannels(), oh = g.outH(), ow = g.outW(), plane = rows * cols * ni;
        final float[] gd = gy.data();
        for (int i = 0; i < ni; i++) {
            for (int o = 0; o < k; o++) {
                int src = gy.offset() + ((n0 + i) * k + o) * oh * ow;
                int base = o * plane + i;
                for (int r = 0; r < rows; r++) {
                    int orow = row0 + r, d = base + r * cols * ni;
                    if (orow >= oh) {
                        for (int s = 0; s < cols; s++) gt[d + s * ni] = 0f;
                        continue;
                    }
                    int srow = src + orow * ow;
                    for (int s = 0; s < ow; s++) gt[d + s * ni] = gd[srow + s];
                    for (int s = ow; s < cols; s++) gt[d + s * ni] = 0f;
                }
            }
        }
    }

    /** Per-thread buffers of this class, grown on demand (the idea of {@link ConvScratch}, with its own slots). */
    private static final class Scratch {
        static final int INPUT = 0, TRANSFORMED = 1, PRODUCTS = 2, OUTPUT = 3, PARTIALS = 4;
        private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[5][]);

        static float[] floats(int slot, int size) {
            float[][] all = BUFFERS.get();
            float[] b = all[slot];
            if (b == null || b.length < size) {
                b = new float[size];
                all[slot] = b;
            }
            return b;
        }
    }
}
