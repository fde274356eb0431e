package dev.apoptosis.tensor.conv;

import static dev.apoptosis.tensor.gemm.GemmVectorKernel.MR;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.NR;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.gemm.Gemm;
import dev.apoptosis.tensor.gemm.GemmVectorKernel;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * A stride-1 "same" convolution with a 3-wide kernel (3x3 pad 1) as an implicit GEMM over a
 * zero-padded copy of each input plane whose rows <em>share</em> their padding columns.
 *
 * <p><b>Layout.</b> Each plane is copied with {@code pW} zero columns after every row and
 * {@code pH} zero rows above and below: rows {@code pitch = W + pW} floats apart. The zeros after a
 * row are then also the left padding of the next one. Output positions are numbered
 * {@code u = h * pitch + w} (w up to pitch, so {@code pW} positions per row are junk and never
 * stored), and the input value under tap {@code (kh, kw)} of position u sits at
 * {@code u + kh * pitch + kw} of the copy, padding included: for a run of NR consecutive positions,
 * every (channel, tap) is NR contiguous floats. So one run of positions is a GEMM column panel read
 * in place, with one table of k steps shared by every run (one entry per filter row, its three taps
 * being consecutive floats: {@link GemmVectorKernel#multiplyThreeTapRows}), and the padded copy is a
 * row-by-row copy of the image instead of im2col's patch matrix (kH kW times the image, written and
 * read back).
 *
 * <p><b>Why.</b> A 16-channel layer at 32x32 (ResNet-20's first stage, a third of its training step on AMD EPYC Zen 4)
 * multiplies 16 filters per patch column: im2col writes a 576 KiB patch matrix per image for two
 * register tiles per column to read once each. Here a run's inputs are a few KiB of the padded copy,
 * hot in L1 for all filter panels. The gain is modest at 16 channels (1.04-1.08x, see {@link #applies}):
 * both paths are bound by the micro-kernel on these short inner dimensions (144 steps); it is large for
 * few filters, where im2col's copy is most of the work.
 *
 * <p><b>Bits.</b> The k steps run in im2col's order (term, input channel, tap), in one k block as
 * the GEMM's ({@link #supports}), padding taps multiplying zeros as im2col's do: every output equals
 * im2col + GEMM's bit for bit, so the path taken never shows in a result. Each output is one
 * register-tile accumulation, independent of the thread count.
 */
final class PaddedPlaneConv2d {
    private PaddedPlaneConv2d() {}

    /**
     * True for the geometries this class computes: the vector path, one group, stride and dilation 1,
     * a kernel 3 wide and of odd height with "same" padding, and the whole inner dimension (terms x
     * input channels x taps) in one k block of {@link Gemm#kBlock}, so that no block boundary splits a
     * filter row's three taps.
     */
    static boolean supports(ConvGeometry g, int pairs) {
        int k = pairs * g.inChannels() * g.kernelH() * g.kernelW();
        return Simd.enabled() && g.groups() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1
                && g.dilationW() == 1 && g.kernelW() == 3 && g.kernelH() % 2 == 1 && 2 * g.padH() == g.kernelH() - 1
                && g.padW() == 1 && Gemm.kBlock(k) == k;
    }

    /**
     * True when {@code g}'s forward (a sum of {@code pairs} convolutions) should run here: supported,
     * outputs at least 16 wide (the junk column is then at most a seventeenth of the positions), and
     * either an inner dimension of at least 99 (11 input channels), or at most 8 filters, or an inner
     * dimension of at least 45 (5 channels) with a last filter panel of at most 4 rows (its 4-row kernel).
     *
     * <p>Measured against im2col + GEMM ({@code bench/ImplicitConvPaths.java -Dpath=PaddedPlaneConv2d},
     * both paths alternated in one JVM; AMD EPYC Zen 4, one thread, batch 128, 3x3 pad 1), forward:
     * 16 channels at 32x32 1.04x (input gradient too), at 16x16 1.08x; pruned widths 11 at 32x32 1.14x
     * (input gradient 1.06x), 11 at 16x16 1.12x, 5 to 11 1.11x, 19 to 20 1.05x, 8 to 8 1.06x, 23 at 16x16
     * 1.06x; few filters 16 to 4 1.85x, 4 to 4 at 16x16 1.51x, 2 to 2 1.70x (im2col's copy is most of
     * their work); 64 at 32x32 1.00x. Lost: 3 or 4 channels to 16 (a ResNet's first layer) 0.80-0.83x, 9
     * or 12 three-tap rows per run being too short for its per-run stores. Stride-1 layers with at
     * least 32 channels and enough tiles run as Winograd before reaching this choice, outputs of at most
     * 8x8 as {@link ImplicitGemmConv2d}. Re-measured a session later, filters a multiple of 8 from few
     * channels lose: 5 to 16 0.92x, 6 to 16 0.93x (and 16 to 6's input gradient), 8 to 16 0.97x, 8 to 32 at
     * 16x16 0.89x, 9 to 30 0.92x, 10 to 16 1.00x, 11 to 16 1.02x, 13 to 16 1.10x; 5 to 11 1.08x, 11 to 23 1.06x.
     */
    static boolean applies(ConvGeometry g, int pairs) {
        if (!supports(g, pairs)) return false;
        Boolean f = ConvPath.PADDED_PLANES.forced();
        if (f != null) return f;
        int k = pairs * g.inChannels() * g.kernelH() * g.kernelW(), lastPanel = (g.outChannels() - 1) % MR + 1;
        return g.outW() >= 16 && (k >= 99 || g.outChannels() <= 8 || (k >= 45 && lastPanel <= 4));
    }

    /**
     * {@code y (+)= Σ_j conv(xs[j], ws[j]) + bias}, or with {@code flipped} the forward of
     * {@link GemmConv2d#transposedAsConvolution}, {@code ws} the original filters (as
     * {@link ImplicitGemmConv2d#forward}).
     */
    static void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y,
                        boolean accumulate) {
        final int cin = g.inChannels(), cout = g.outChannels(), h = g.inH(), w = g.inW(), hw = h * w;
        final int kw = g.kernelW(), taps = g.kernelH() * kw, pairs = xs.length, kAll = pairs * taps * cin;
        final int ph = g.padH(), pw = g.padW(), pitch = w + pw;
        final int plane = pw + (h + g.kernelH() - 1) * pitch + NR + kw;
        final int positions = h * pitch, mPanels = (cout + MR - 1) / MR;
        final int[] rows = filterRows(g, pairs, pitch, plane);
        final float[] ap = ImplicitGemmConv2d.packedFilters(ws, flipped, cout, cin, taps);
        final float[] yd = y.data(), bd = bias == null ? null : bias.data();
        final int yo = y.offset(), bo = bias == null ? 0 : bias.offset();
        Parallel.forRange(g.n(), 1, (lo, hi) -> {
            float[] xp = ConvScratch.floats(Slot.PADDED_INPUT, pairs * cin * plane);
            float[] tile = ConvScratch.floats(Slot.IMPLICIT_TILE, MR * NR);
            for (int img = lo; img < hi; img++) {
                for (int q = 0; q < pairs; q++) {
                    Tensor x = xs[q];
                    for (int c = 0; c < cin; c++) {
                        stack(x.data(), x.offset() + (img * cin + c) * hw, hw, 1, h, w, ph, xp, (q * cin + c) * plane, pw + ph * pitch, plane);
                    }
                }
                int yImg = yo + img * cout * hw;
                for (int u0 = 0; u0 < positions; u0 += NR) {
                    for (int i = 0; i < mPanels; i++) {
                        int ai = i * kAll * MR, filters = Math.min(MR, cout - i * MR);
                        if (filters > 6) {
                            GemmVectorKernel.multiplyThreeTapRows(rows, ap, ai, xp, u0, tile);
                        } else if (filters > 4) {
                            GemmVectorKernel.multiplyThreeTapRows6(rows, ap, ai, xp, u0, tile);
                        } else if (filters > 2) {
                            GemmVectorKernel.multiplyThreeTapRows4(rows, ap, ai, xp, u0, tile);
                        } else {
                            GemmVectorKernel.multiplyThreeTapRows2(rows, ap, ai, xp, u0, tile);
                        }
                        store(tile, filters, u0, Math.min(NR, positions - u0), pitch, w, yd, yImg + i * MR * hw, hw, accumulate,
                                bd, bo + i * MR);
                    }
                }
            }
        });
    }

    /**
     * The k steps of every run of positions, three at a time: for each term, input channel and filter
     * row (im2col's order, whose next three steps are that row's taps), the offset in the padded copy
     * of its first tap relative to the run's first position.
     */
    private static int[] filterRows(ConvGeometry g, int pairs, int pitch, int plane) {
        final int cin = g.inChannels(), kh = g.kernelH();
        int[] rows = new int[pairs * cin * kh];
        for (int qc = 0, s = 0; qc < pairs * cin; qc++) {
            for (int r = 0; r < kh; r++, s++) rows[s] = qc * plane + r * pitch;
        }
        return rows;
    }

    /**
     * Lays {@code images} planes of {@code h x w} ({@code imageStride} apart from {@code src[s]}) end to
     * end into {@code dst[d, d + length)}: {@code lead} zeros, then per image its rows each followed by
     * one zero (rows {@code w + 1} apart) and {@code ph} zero rows, then zeros. The zero rows between two
     * images are the padding below the one and above the other.
     */
    static void stack(float[] src, int s, int imageStride, int images, int h, int w, int ph, float[] dst, int d,
                              int lead, int length) {
        int at = d + lead, end = d + length;
        java.util.Arrays.fill(dst, d, at, 0f);
        for (int i = 0; i < images; i++) {
            for (int r = 0, from = s + i * imageStride; r < h; r++, from += w, at += w + 1) {
                System.arraycopy(src, from, dst, at, w);
                dst[at + w] = 0f;
            }
            java.util.Arrays.fill(dst, at, at + ph * (w + 1), 0f);
            at += ph * (w + 1);
        }
        java.util.Arrays.fill(dst, at, end, 0f);
    }

    /**
     * Stores the tile of positions {@code [u0, u0 + count)} into the image's NCHW outputs at
     * {@code y[yd + r * hw]} for its {@code rows} filters, skipping the junk positions past each row's
     * {@code w} pixels: {@code y = v} or {@code y = y + v}, then {@code + bias} when there is one (the
     * GEMM path's arithmetic).
     */
    static void store(float[] tile, int rows, int u0, int count, int pitch, int w, float[] y, int yd, int hw,
                              boolean accumulate, float[] bias, int bo) {
        for (int j = 0; j < count; ) {
            int u = u0 + j, col = u % pitch;
            if (col >= w) {
                j += pitch - col;
                continue;
            }
            int len = Math.min(count - j, w - col), at = yd + u / pitch * w + col;
            for (int r = 0; r < rows; r++) {
                int d = at + r * hw, s = r * NR + j;
                if (bias != null) RowOps.storePlus(y, d, tile, s, bias[bo + r], len, accumulate);
                else if (accumulate) RowOps.add(y, d, tile, s, len);
                else System.arraycopy(tile, s, y, d, len);
            }
            j += len;
        }
    }
}
