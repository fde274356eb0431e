package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.window.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a small-output stride-1 "same" convolution with a 3-wide kernel (a ResNet's
 * 8x8 stage, pruned or not) as dot products along the batch, with both factors copied batch-innermost.
 *
 * <p>{@code gW[o, c, kh, kw] = Σ over output pixels (i, j) and images n of gY[n, o, i, j] · x[n, c, i + kh - pH, j + kw - 1]}.
 * The output gradient is copied as {@code gT[o][i][j][n]} and the input, zero-padded, as
 * {@code xT[c][i'][j'][n]} ({@code H + 2 pH} rows of {@code W + 2} pixels): for output row i and tap row
 * kh, the {@code W x N} values of row i of gT and the three runs of row {@code i + kh} of xT starting at
 * pixel 0, 1 and 2 are each contiguous, so {@link PaddedPlaneWeightGradient}'s kernel (four filters
 * against a row's three taps) runs along them without junk positions, zero rows between images or
 * unaligned loads, which the padded planes of that class pay for at 8 pixels wide (one junk column and
 * one zero row per 8 positions).
 *
 * <p><b>Determinism.</b> Each (filter block, input channel) is summed by one thread, output row after
 * output row, and its lanes are added in lane order: results do not depend on the thread count.
 * They differ from the other weight-gradient paths' in rounding, as those do among themselves.
 */
final class BatchInnerWeightGradient {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Filters per kernel call ({@link PaddedPlaneWeightGradient}'s). */
    private static final int OB = 4;
    /** Images are padded to a multiple of this: the transposes' tile ({@link Transpose}). */
    private static final int IMAGES = 16;

    private BatchInnerWeightGradient() {}

    /** True for the geometries this class computes: the vector path, one group, stride and dilation 1, a 3-wide kernel of odd height with "same" padding. */
    static boolean supports(ConvGeometry g) {
        return Simd.enabled() && g.groups() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1
                && g.dilationW() == 1 && g.kernelW() == 3 && g.padW() == 1 && g.kernelH() % 2 == 1
                && 2 * g.padH() == g.kernelH() - 1;
    }

    /**
     * True when {@code g}'s weight gradient should run here: supported, outputs 6 to 15 wide, a batch of at
     * least 16 images, the copy of the input at most {@link #MAX_INPUT_FLOATS}, and
     * {@link GemmConvWeightGradient}'s patch rows not read in place ({@code rowsInPlace}: its
     * {@link ImplicitIm2row} kernel, for channels a multiple of NR, beats this one's).
     *
     * <p>Measured against the path each shape took before ({@code bench/ImplicitConvPaths.java
     * -Dpath=BatchInnerWeightGradient ... wt}, both alternated in one JVM; AMD EPYC Zen 4, one thread, batch
     * 128 unless noted), at 8x8: pruned 39 to 16 1.26x (32 images 1.23x), 16 to 39 1.31x, 14 to 39 1.31x,
     * 39 to 18 1.31x, 23 to 45 1.16x, 8 to 16 1.23x, 45 to 45 0.99x; 7x7 39 to 18 1.52x, 45 to 45 1.01x; 6x6
     * 20 to 40 1.26x; 14x14 (batch 64) 45 to 45 1.09x, 39 to 16 1.07x. Lost: rows read in place, 64 to 64 at
     * 8x8 0.75x, 128 and 512 channels at 4x4 0.50-0.61x; 4x4 otherwise 0.82x (70 to 70, 45 to 90; runs of 4
     * pixels are short), 16 wide 0.73x (30 to 9, against {@link PaddedPlaneWeightGradient}).
     */
    static boolean applies(ConvGeometry g, boolean rowsInPlace) {
        if (!supports(g)) return false;
        Boolean f = ConvPath.BATCH_INNER_WEIGHTS.forced();
        if (f != null) return f;
        long np = (g.n() + IMAGES - 1) / IMAGES * IMAGES, input = np * g.inChannels() * (g.inH() + 2L * g.padH()) * (g.inW() + 2);
        return !rowsInPlace && g.outW() >= 6 && g.outW() < 16 && g.n() >= IMAGES && input <= MAX_INPUT_FLOATS;
    }

    /** The largest batch-innermost input copy taken (16 MiB): beyond, the other paths' tiles of images. */
    static final long MAX_INPUT_FLOATS = 1L << 22;

    static void compute(ConvGeometry g, Tensor x, Tensor gy, Tensor gw, boolean accumulate) {
        ConvPath.BATCH_INNER_WEIGHTS.took();
        final int n = g.n(), cin = g.inChannels(), cout = g.outChannels(), h = g.inH(), w = g.inW(), hw = h * w;
        final int kh = g.kernelH(), ph = g.padH(), taps = kh * 3, paddedW = w + 2, paddedH = h + 2 * ph;
        final int np = (n + IMAGES - 1) / IMAGES * IMAGES, run = w * np;
        final int blocks = (cout + OB - 1) / OB, gPlane = hw * np, xPlane = paddedH * paddedW * np;
        final float[] gT = ConvScratch.floats(Slot.BATCH_INNER_GRAD, blocks * OB * gPlane);
        final float[] xT = ConvScratch.floats(Slot.BATCH_INNER_INPUT, cin * xPlane);
        final float[] xd = x.data(), gyd = gy.data();
        final int xo = x.offset(), gyo = gy.offset();
        Parallel.forRange(blocks * OB + cin, 1, (lo, hi) -> {
            for (int q = lo; q < hi; q++) {
                if (q < blocks * OB) {
                    // Output gradient of filter q: gT[q][pixel][image], zero for images past n and filters past cout.
                    int d = q * gPlane;
                    if (q >= cout) {
                        java.util.Arrays.fill(gT, d, d + gPlane, 0f);
                        continue;
                    }
                    batchInner(gyd, gyo + q * hw, cout * hw, n, np, hw, gT, d);
                } else {
                    // Input channel c: xT[c][padded pixel][image], the padding's rows and columns zero.
                    int c = q - blocks * OB, d = c * xPlane;
                    float[] tmp = ConvScratch.floats(Slot.BATCH_INNER_TMP, hw * np);
                    batchInner(xd, xo + c * hw, cin * hw, n, np, hw, tmp, 0);
                    java.util.Arrays.fill(xT, d, d + xPlane, 0f);
                    for (int r = 0; r < h; r++) System.arraycopy(tmp, r * run, xT, d + ((r + ph) * paddedW + 1) * np, run);
                }
            }
        });
        final int accSize = OB * 3 * VL;
        final float[] partials = ConvScratch.floats(Slot.PARTIALS, cin * blocks * kh * accSize);
        // Channel-major order: a channel's padded planes stay in cache while the filter blocks pass.
        Parallel.forRange(cin * blocks, 1, (lo, hi) -> {
            for (int cb = lo; cb < hi; cb++) {
                int c = cb / blocks, b = cb % blocks;
                for (int r = 0; r < kh; r++) {
                    int at = (cb * kh + r) * accSize;
                    java.util.Arrays.fill(partials, at, at + accSize, 0f);
                    for (int i = 0; i < h; i++) {
                        int xRow = c * xPlane + (i + r) * paddedW * np;
                        PaddedPlaneWeightGradient.dots(run, gT, b * OB * gPlane + i * run, gPlane, xT, xRow, xRow + np, xRow + 2 * np,
                                partials, at);
                    }
                }
            }
        });
        final float[] gwd = gw.data();
        final int gwo = gw.offset();
        Parallel.forRange(cin * blocks * kh, 1, (lo, hi) -> {
            for (int q = lo; q < hi; q++) {
                int c = q / (blocks * kh), b = q / kh % blocks, r = q % kh;
                for (int e = 0; e < OB * 3; e++) {
                    int o = b * OB + e / 3;
                    if (o >= cout) continue;
                    float sum = PaddedPlaneWeightGradient.laneSum(partials, q * accSize + e * VL);
                    int d = gwo + (o * cin + c) * taps + r * 3 + e % 3;
                    gwd[d] = accumulate ? gwd[d] + sum : sum;
                }
            }
        });
    }

    /**
     * {@code dst[d + p * np + i] = src[s + i * imageStride + p]} for images {@code i < n} and pixels
     * {@code p < hw}, and 0 for images {@code n <= i < np}: one channel's planes, batch innermost.
     */
    private static void batchInner(float[] src, int s, int imageStride, int n, int np, int hw, float[] dst, int d) {
        Transpose.scatter(src, s, n, hw, imageStride, dst, d, np);
        if (n < np) {
            for (int p = 0; p < hw; p++) java.util.Arrays.fill(dst, d + p * np + n, d + (p + 1) * np, 0f);
        }
    }
}
