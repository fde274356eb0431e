package dev.apoptosis.tensor.conv;

import static dev.apoptosis.tensor.gemm.GemmVectorKernel.MR;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.NR;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.gemm.Gemm;
import dev.apoptosis.tensor.gemm.GemmVectorKernel;
import dev.apoptosis.tensor.gemm.GemmVectorPacking;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * Convolution as an <em>implicit</em> GEMM that skips the padding: no patch matrix is built, and the
 * filter taps that fall outside the image are left out of the sums instead of multiplied by zeros.
 *
 * <p><b>Layout.</b> The input is copied once into a batch-innermost buffer
 * {@code xt[pixel][image panel][c][image]}, panels of {@link GemmVectorKernel#NR} images (the last
 * padded with zeros). Output position {@code (oh, ow)} of one image panel is then a GEMM column panel
 * whose B rows, one per (input channel, tap), are NR contiguous floats of {@code xt}, and a tap's rows
 * follow one another (panels inside channels, with rows half a line apart at batch 64, were 3-4% slower
 * at 512 channels, AMD EPYC Zen 4): the panel's images share the position, so they share which taps
 * are inside the image, and a tap outside is simply not one of the panel's k steps. The filters are
 * packed once per call as A micro-panels with k ordered as im2col's (channel, tap). Each (filter panel, position,
 * image panel) tile runs {@link GemmVectorKernel#multiplySteps} over the k steps of its position's
 * <em>class</em> (the set of taps inside the image; a 3x3 pad-1 convolution has nine classes, the
 * interior and the eight border kinds); tiles of consecutive positions are staged and flushed to NCHW
 * y in runs of positions (adding the bias, or adding onto y).
 *
 * <p><b>Why.</b> im2col + GEMM multiplies every padded tap: at 4x4 pixels with 3x3 pad-1 filters
 * that is 31% of its work, at 2x2 56%; and the patch matrix is written and read back through the
 * cache hierarchy. This is what the per-pass comparison against oneDNN's direct convolutions showed
 * at VGG's deep layers (512 channels 4x4: 0.52-0.54x of PyTorch).
 *
 * <p><b>Bits.</b> The k steps run in im2col's order (term, input channel, tap) and in the blocks of
 * {@link Gemm#kBlock}, each block's sum added to the last as the blocked GEMM adds them to C, and a
 * skipped product is an exact zero; so every output it writes equals im2col + GEMM's bit for bit (a zero's sign
 * aside). Which path a batch takes depends on its size, and this keeps that out of a sample's output
 * (an evaluation at batch 64 and at batch 32 agree, as {@code DigitsTrainingTest} checks). Each output
 * is one register-tile accumulation, so results do not depend on the thread count either.
 *
 * <p>Sums of convolutions ({@link GemmConv2d#forward(ConvGeometry, Tensor[], Tensor[], Tensor, Tensor, boolean)},
 * the tangent and R-adjoint pairs) stack their inputs' buffers and their filters along k.
 */
final class ImplicitGemmConv2d {
    private ImplicitGemmConv2d() {}

    /** True for the geometries this class computes: the vector path, one group, patches needed. */
    static boolean supports(ConvGeometry g) {
        return Simd.enabled() && g.groups() == 1 && !GemmConv2d.inPlacePatches(g);
    }

    /**
     * True when {@code g}'s forward should run here: supported, the batch fills its image panels
     * (padding it to a multiple of NR costs at most an eighth more work), the kernel has more than one
     * tap, and the output is at most 8x8 pixels.
     *
     * <p>Measured against im2col + GEMM ({@code bench/ImplicitConvPaths.java}: both paths alternated in
     * one JVM; AMD EPYC Zen 4, one thread, batch 128, or 64 at 4x4 and 2x2): 3x3 pad 1 at 8x8 1.35x
     * (16 channels), at 4x4 1.50-1.65x (128-512 channels), at 2x2 1.6-3.8x; stride 2 onto 8x8
     * 0.97-1.07x (23-32 input channels) and onto 4x4 1.2x (64-128). Larger outputs lose: stride 1 at
     * 16x16 and 32x32 0.52-0.84x (11-64 channels) and stride 2 onto 16x16 0.83-1.11x (8-16), as the
     * layout change of the input then costs as much as the padding saved; 1x1 stride-2 kernels
     * 0.39-0.62x (nothing to skip, little to multiply per value moved). Stride-1 layers with at least
     * 32 channels and enough tiles run as Winograd before reaching this choice.
     */
    static boolean applies(ConvGeometry g) {
        if (!supports(g)) return false;
        Boolean f = ConvPath.SMALL_OUTPUTS.forced();
        if (f != null) return f;
        int n = g.n(), padded = ImplicitGemmSteps.paddedBatch(n);
        return n >= NR && 8L * padded <= 9L * n && g.kernelH() * g.kernelW() > 1 && g.outH() * g.outW() <= 64;
    }

    /**
     * {@code y (+)= Σ_j conv(xs[j], ws[j]) + bias}; see the class comment. With {@code flipped}, the
     * forward of the convolution that {@link GemmConv2d#transposedAsConvolution} makes of an input
     * gradient, {@code ws} being the original convolution's filters ({@code [Cin'][Cout'][kH][kW]} for
     * this one's {@code Cout' x Cin'}), read flipped and transposed while they are packed instead of
     * copied so first ({@link GemmConv2d#flippedTransposedWeight}): the same values, one pass fewer.
     */
    static void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y,
                        boolean accumulate) {
        int chunk = imagesPerChunk(g, xs.length);
        if (chunk >= g.n()) {
            forwardChunk(g, xs, ws, flipped, bias, y, accumulate);
            return;
        }
        // Images are independent, so a chunk's outputs are those of the whole batch, bit for bit.
        for (int n0 = 0; n0 < g.n(); n0 += chunk) {
            int n1 = Math.min(g.n(), n0 + chunk);
            Tensor[] part = new Tensor[xs.length];
            for (int q = 0; q < xs.length; q++) part[q] = xs[q].slice0(n0, n1);
            forwardChunk(g.withBatch(n1 - n0), part, ws, flipped, bias, y.slice0(n0, n1), accumulate);
        }
    }

    /**
     * Upper bound on the floats of the batch-innermost input copy (32 MiB), which a thread keeps for
     * reuse: larger batches run in chunks of whole image panels. Settable for tests only.
     */
    static volatile long maxInputFloats = 1L << 23;

    /** Images per call of {@link #forwardChunk}: the whole batch, or whole image panels within {@link #maxInputFloats}. */
    static int imagesPerChunk(ConvGeometry g, int pairs) {
        long perImage = (long) pairs * g.inH() * g.inW() * g.inChannels();
        return (int) Math.max(NR, Math.min(g.n(), maxInputFloats / perImage / NR * NR));
    }

    private static void forwardChunk(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y,
                                     boolean accumulate) {
        final int n = g.n(), cin = g.inChannels(), cout = g.outChannels(), hw = g.inH() * g.inW(), p = g.outH() * g.outW();
        final int taps = g.kernelH() * g.kernelW(), pairs = xs.length, kAll = pairs * taps * cin;
        final int mPanels = (cout + MR - 1) / MR;
        final ImplicitGemmSteps plan = ImplicitGemmSteps.cached(g, pairs);
        final int np = plan.np(), px = plan.px(), plane = plan.plane();
        final float[] xt = ConvScratch.floats(Slot.IMPLICIT_INPUT, pairs * plane);
        Parallel.forRange(pairs * cin, 1, (lo, hi) -> {
            for (int qc = lo; qc < hi; qc++) {
                int q = qc / cin, c = qc % cin;
                Tensor x = xs[q];
                for (int j = 0; j < np; j += NR) {
                    int d = q * plane + j * cin + c * NR, images = Math.min(NR, n - j);
                    Transpose.scatter(x.data(), x.offset() + (j * cin + c) * hw, images, hw, cin * hw, xt, d, px);
                    if (images < NR) {
                        for (int pix = 0; pix < hw; pix++) java.util.Arrays.fill(xt, d + pix * px + images, d + pix * px + NR, 0f);
                    }
                }
            }
        });
        final float[] ap = packedFilters(ws, flipped, cout, cin, taps);
        final float[] yd = y.data();
        final int yo = y.offset();
        Parallel.forRange(mPanels, 1, (lo, hi) -> {
            float[] tile = ConvScratch.floats(Slot.IMPLICIT_TILE, MR * NR);
            float[] partial = ConvScratch.floats(Slot.IMPLICIT_PARTIAL, MR * NR);
            float[] stage = ConvScratch.floats(Slot.IMPLICIT_STAGE, MR * NR * POSITIONS_PER_STAGE);
            for (int i = lo; i < hi; i++) {
                int ai = i * kAll * MR, rows = Math.min(MR, cout - i * MR);
                for (int j = 0; j < np; j += NR) {
                    int cols = Math.min(NR, n - j);
                    for (int pos0 = 0; pos0 < p; pos0 += POSITIONS_PER_STAGE) {
                        int positions = Math.min(POSITIONS_PER_STAGE, p - pos0);
                        for (int k = 0; k < positions; k++) {
                            int pos = pos0 + k;
                            int[][] blocks = plan.tables()[plan.classOf()[pos]];
                            int at = plan.base()[pos] + j * cin;
                            GemmVectorKernel.multiplyStepsRows(rows, blocks[0].length / 2, blocks[0], ap, ai, xt, at, tile);
                            for (int b = 1; b < blocks.length; b++) {
                                // Later k blocks add their own sums, as the GEMM's blocking does.
                                if (blocks[b].length == 0) continue;
                                GemmVectorKernel.multiplyStepsRows(rows, blocks[b].length / 2, blocks[b], ap, ai, xt, at, partial);
                                for (int e = 0; e < rows * NR; e++) tile[e] += partial[e];
                            }
                            for (int r = 0; r < rows; r++) {
                                for (int col = 0; col < cols; col++) stage[(col * MR + r) * POSITIONS_PER_STAGE + k] = tile[r * NR + col];
                            }
                        }
                        unstage(stage, rows, cols, positions, yd, yo + (j * cout + i * MR) * p + pos0, cout * p, p, accumulate,
                                bias, i * MR);
                    }
                }
            }
        });
    }

    /** Output positions gathered per flush to y (see {@link #unstage}). */
    private static final int POSITIONS_PER_STAGE = 16;

    /**
     * Flushes staged tiles ({@code stage[(col * MR + r) * POSITIONS_PER_STAGE + k]}: image col, filter
     * r, k-th position of the run) into NCHW y, a run of {@code positions} contiguous values per image
     * and filter at {@code y[d + col * imageStride + r * p]}: {@code y = v}, or {@code y = y + v}, then
     * {@code + bias} when there is one. Storing each tile straight into y put its 256 values on as
     * many cache lines; a batch-innermost output transposed afterwards cost a fifth of a 16-channel
     * 8x8 forward (AMD EPYC Zen 4).
     */
    private static void unstage(float[] stage, int rows, int cols, int positions, float[] y, int d, int imageStride, int p,
                                boolean accumulate, Tensor bias, int m0) {
        for (int col = 0; col < cols; col++) {
            for (int r = 0; r < rows; r++) {
                int at = d + col * imageStride + r * p, from = (col * MR + r) * POSITIONS_PER_STAGE;
                if (bias != null) RowOps.storePlus(y, at, stage, from, bias.data()[bias.offset() + m0 + r], positions, accumulate);
                else if (accumulate) RowOps.add(y, at, stage, from, positions);
                else System.arraycopy(stage, from, y, at, positions);
            }
        }
    }

    /**
     * All filter panels of a call in the calling thread's {@link Slot#IMPLICIT_FILTERS} buffer ({@link #packFilters},
     * or {@link #packFlippedFilters} for an input gradient), panels packed in parallel; read by every
     * thread of the call. Shared with {@link PaddedPlaneConv2d}, whose k order is the same.
     */
    static float[] packedFilters(Tensor[] ws, boolean flipped, int cout, int cin, int taps) {
        int mPanels = (cout + MR - 1) / MR, kAll = ws.length * cin * taps;
        float[] ap = ConvScratch.floats(Slot.IMPLICIT_FILTERS, mPanels * MR * kAll);
        Parallel.forRange(mPanels, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                if (flipped) {
                    packFlippedFilters(ws, i, cout, cin, taps, kAll, ap);
                } else {
                    packFilters(ws, i, cout, cin, taps, kAll, ap);
                }
            }
        });
        return ap;
    }

    /**
     * Filter panel {@code i} (filters {@code [i MR, i MR + MR)}, zero rows past the last filter) as
     * {@link GemmVectorPacking#packA} lays out an A micro-panel, with k ordered (term, channel, tap):
     * each term's filters are a {@code cout x cin taps} matrix already in that order. Not that packer
     * itself: it writes the panel one row at a time, which strides through this panel (up to 8 x 9216
     * floats) 8 times and took 11% of a 512-channel 4x4 forward; written in order here, 5%. The same
     * order in the shared packer measured 0.97-0.98x on the 32-channel weight gradient (AMD EPYC Zen 4,
     * bench/ab_conv.sh, 7 rounds), so each keeps its own.
     */
    private static void packFilters(Tensor[] ws, int i, int cout, int cin, int taps, int kAll, float[] ap) {
        int rows = Math.min(MR, cout - i * MR), d = i * kAll * MR, kg = cin * taps;
        for (Tensor w : ws) {
            float[] wd = w.data();
            int src = w.offset() + i * MR * kg;
            for (int k = 0; k < kg; k++, d += MR) {
                for (int r = 0; r < rows; r++) ap[d + r] = wd[src + r * kg + k];
                for (int r = rows; r < MR; r++) ap[d + r] = 0f;
            }
        }
    }

    /**
     * {@link #packFilters} of the filters {@code w'[o][c][t] = w[c][o][taps - 1 - t]}, w being
     * {@code ws}' original filters ({@code [cin][cout][taps]} here): filter o of this panel reads
     * row o of every one of w's filters, taps reversed. The panel's MR rows of one w filter lie side by
     * side, so the reads run along memory.
     */
    private static void packFlippedFilters(Tensor[] ws, int i, int cout, int cin, int taps, int kAll, float[] ap) {
        int rows = Math.min(MR, cout - i * MR), d = i * kAll * MR;
        for (Tensor w : ws) {
            float[] wd = w.data();
            for (int c = 0; c < cin; c++) {
                int src = w.offset() + (c * cout + i * MR) * taps + taps - 1;
                for (int t = 0; t < taps; t++, d += MR) {
                    for (int r = 0; r < rows; r++) ap[d + r] = wd[src + r * taps - t];
                    for (int r = rows; r < MR; r++) ap[d + r] = 0f;
                }
            }
        }
    }
}
