package dev.apoptosis.tensor.conv;

import static dev.apoptosis.tensor.gemm.GemmVectorKernel.MR;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.NR;

import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.gemm.GemmVectorKernel;
import dev.apoptosis.tensor.gemm.GemmVectorPacking;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * The weight gradient's product {@code gY · rows} with the patch rows read straight from the
 * channels-last image, instead of copied out by {@link Im2row} first.
 *
 * <p>In the patch-rows layout, columns {@code (tap, c)} of pixel k's row hold the input pixel under
 * that tap, or 0 in the padding. With channels last, the {@link GemmVectorKernel#NR} channels of a
 * column panel of one tap are contiguous in the image, so the kernel can load them where they lie (a
 * tap's last panel may be narrower: see {@link #channelsLastFloats}). For each tap, a list of
 * <em>steps</em> (output pixel k, offset of its input pixel), worked out once per call ({@link Plan}),
 * over the pixels whose input is inside the image replaces the patch rows; pixels under the padding would contribute zero and
 * are left out. This saves the im2row copy, a write and a read of {@code P x K} floats per image.
 * Measured, batch 128, one thread ({@code bench kernels}, 7 rounds alternated with the im2row build,
 * medians): 32 channels 16x16 8.97 → 8.37 ms, 64 channels 8x8 6.79 → 6.12 ms. Only products with zero
 * are left out, so the sums equal those of the explicit product except for the sign of an all-zero sum.
 */
final class ImplicitIm2row {
    private ImplicitIm2row() {}

    /**
     * True when {@code g}'s patch rows are read in place: on the vector path, when whole column panels
     * per tap waste at most an eighth of the kernel's work. A tap's ragged last panel costs a full
     * panel, so channels per group that are not a multiple of NR pay for up to NR - 1 lanes more.
     * Measured with {@code bench/WeightGradientWidths.java} (3x3 pad 1, batch 128, one thread, NR = 32)
     * on builds with this path always on and always off, alternated, 2 rounds: 64, 90, 96 and 120
     * channels 1.02-1.13x faster; 40 and 48 channels 0.85-0.91x; 20 and 24 channels 1.08-1.12x there
     * but 0.95-1.05x with 32 filters in an earlier, throwaway harness, so they stay with im2row until
     * measured further.
     */
    static boolean applies(ConvGeometry g) {
        int cg = g.inChannelsPerGroup(), panels = (cg + NR - 1) / NR;
        return Simd.enabled() && 8L * panels * NR <= 9L * cg;
    }

    /**
     * Floats the channels-last images of a tile need: the images and then {@link GemmVectorKernel#NR}
     * more, because a tap's last column panel may be narrower than NR and the kernel loads whole panels:
     * its lanes past the tap's channels read the next pixel's values, or this tail after the last
     * pixel, and land in tile columns that are never stored.
     */
    static int channelsLastFloats(int images, int hw, int cin) {
        return images * hw * cin + NR;
    }

    /**
     * The steps of every tap for a tile of {@code images} images, worked out once per weight-gradient
     * call and shared read-only by its threads: {@code steps[t]} holds, as pairs, output pixel k (over
     * the images, ascending) and the offset in the channels-last images of its input pixel (channel 0)
     * for every output pixel whose input lies inside the image; {@code perImage[t]} pairs belong to each
     * image, so a tile of fewer images uses a prefix.
     */
    record Plan(int[][] steps, int[] perImage) {
        static Plan of(ConvGeometry g, int images) {
            final int w = g.inW(), oh = g.outH(), ow = g.outW(), hw = g.inH() * w, cin = g.inChannels();
            final int sw = g.strideW(), kw = g.kernelW(), taps = g.kernelH() * kw;
            ConvTaps where = ConvTaps.of(g);
            int[][] steps = new int[taps][];
            int[] perImage = new int[taps];
            for (int t = 0; t < taps; t++) {
                int rows = Math.max(0, where.rowHi()[t] - where.rowLo()[t]), qLo = where.colLo()[t], len = where.len()[t];
                int tapH = t / kw * g.dilationH(), tapW = t % kw * g.dilationW();
                perImage[t] = rows * len;
                int[] st = steps[t] = new int[2 * images * perImage[t]];
                int n = 0;
                for (int img = 0; img < images; img++) {
                    for (int r = where.rowLo()[t]; r < where.rowHi()[t]; r++) {
                        int ih = r * g.strideH() - g.padH() + tapH, iw = qLo * sw - g.padW() + tapW;
                        int k = (img * oh + r) * ow + qLo, b = (img * hw + ih * w + iw) * cin;
                        for (int q = 0; q < len; q++, k++, b += sw * cin, n += 2) {
                            st[n] = k;
                            st[n + 1] = b;
                        }
                    }
                }
            }
            return new Plan(steps, perImage);
        }
    }

    /**
     * {@code c[mg, kg] = beta * c + gY · rows} for {@code nt} images (at most the plan's), {@code rows}
     * being the patch rows (columns ordered {@code (kh, kw, c)}) of channels {@code [c0, c0 + cg)} of the
     * channels-last images at {@code xt} (image i at {@code i * hw * cin}). {@code gY} has {@code mg}
     * rows of {@code nt * P} values, row r at {@code a[aOff + r * lda]}; C rows are {@code ldc} apart.
     */
    static void multiply(ConvGeometry g, Plan plan, int nt, int mg, float[] a, int aOff, int lda, float[] xt, int c0,
                         float beta, float[] c, int cOff, int ldc) {
        final int cols = nt * g.outH() * g.outW(), cg = g.inChannelsPerGroup(), panels = (mg + MR - 1) / MR;
        float[] ap = ConvScratch.floats(Slot.IMPLICIT_PACKED_A, panels * cols * MR);
        GemmVectorPacking.packA(false, a, aOff, lda, 0, mg, 0, cols, ap);
        float[] tile = ConvScratch.floats(Slot.IMPLICIT_TILE, MR * NR);
        for (int t = 0; t < plan.steps().length; t++) {
            int n = nt * plan.perImage()[t];
            for (int j = 0; j < cg; j += NR) {
                for (int i = 0; i < panels; i++) {
                    int rows = Math.min(MR, mg - i * MR);
                    GemmVectorKernel.multiplyStepsRows(rows, n, plan.steps()[t], ap, i * cols * MR, xt, c0 + j, tile);
                    GemmVectorKernel.update(tile, c, cOff + i * MR * ldc + t * cg + j, ldc, 1f, beta, rows, Math.min(NR, cg - j));
                }
            }
        }
    }
}
