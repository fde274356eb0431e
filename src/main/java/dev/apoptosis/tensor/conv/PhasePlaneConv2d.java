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
 * A stride-2 3x3 pad-1 convolution (a ResNet's downsampling layer) as an implicit GEMM over the
 * input's four <em>phase planes</em>: the pixels of even rows and even columns, even rows and odd
 * columns, and so on, each copied with a zero row above and a zero column after every row (rows
 * {@code pitch = outW + 1} apart).
 *
 * <p>Output pixel {@code (ho, wo)} reads input {@code (2 ho + kh - 1, 2 wo + kw - 1)}: for tap row
 * {@code kh} that is row {@code ho + dr} of phase {@code pr}, with {@code (pr, dr)} = (1, -1), (0, 0),
 * (1, 0) for kh = 0, 1, 2, and the same for columns. So, numbering output positions
 * {@code u = ho * pitch + wo} as in {@link PaddedPlaneConv2d}, every (channel, tap) of a run of 32
 * consecutive positions is 32 contiguous floats of one phase plane, {@code u} plus a fixed offset; the
 * zero row and columns stand for the padding (and for a missing last row or column of an odd size).
 * The planes are one strided copy of the image, where im2col writes 2.25 images' worth of patches per
 * image through per-row gathers (half of im2col + GEMM's time at 16 channels, 32x32, AMD EPYC Zen 4).
 *
 * <p><b>Bits.</b> The k steps are im2col's (term, channel, tap) in one k block, padding multiplied as
 * zeros: the outputs equal im2col + GEMM's bit for bit.
 */
final class PhasePlaneConv2d {
    private PhasePlaneConv2d() {}

    /** True for the geometries this class computes: the vector path, one group, 3x3 stride 2 pad 1 dilation 1, one k block. */
    static boolean supports(ConvGeometry g, int pairs) {
        int k = pairs * g.inChannels() * 9;
        return Simd.enabled() && g.groups() == 1 && g.kernelH() == 3 && g.kernelW() == 3 && g.strideH() == 2
                && g.strideW() == 2 && g.padH() == 1 && g.padW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && Gemm.kBlock(k) == k;
    }

    /**
     * True when {@code g}'s forward should run here: supported, with outputs at least 16 wide.
     *
     * <p>Measured against im2col + GEMM ({@code bench/ImplicitConvPaths.java -Dpath=PhasePlaneConv2d}, both
     * alternated in one JVM; AMD EPYC Zen 4, one thread, batch 128): 16 to 32 channels onto 16x16 (ResNet-20's
     * layer2.0.conv1) 1.37x, 11 to 23 (pruned) 1.58x; onto 8x8 (32 to 64) 0.89x, where
     * {@link ImplicitGemmConv2d} takes full batches anyway.
     */
    static boolean applies(ConvGeometry g, int pairs) {
        if (!supports(g, pairs)) return false;
        Boolean f = ConvPath.PHASE_PLANES.forced();
        if (f != null) return f;
        return g.outW() >= 16;
    }

    /**
     * {@code y (+)= Σ_j conv(xs[j], ws[j]) + bias} ({@link ImplicitPath.Forward}). Never {@code flipped}: a
     * stride-2 convolution is no input gradient's forward ({@link GemmConv2d#transposedAsConvolution}).
     */
    static void forward(ConvGeometry g, Tensor[] xs, Tensor[] ws, boolean flipped, Tensor bias, Tensor y, boolean accumulate) {
        if (flipped) throw new IllegalArgumentException("conv2d: a stride-2 convolution is no input gradient's forward: " + g);
        final int cin = g.inChannels(), cout = g.outChannels(), h = g.inH(), w = g.inW(), hw = h * w;
        final int oh = g.outH(), ow = g.outW(), p = oh * ow, pairs = xs.length, kAll = pairs * cin * 9;
        final int pitch = ow + 1, lead = pitch + 1, plane = lead + oh * pitch + NR + 2;
        final int positions = oh * pitch, mPanels = (cout + MR - 1) / MR;
        final int[] steps = new int[2 * kAll];
        for (int k = 0; k < kAll; k++) {
            int qc = k / 9, t = k % 9, kh = t / 3, kw = t % 3;
            int pr = kh == 1 ? 0 : 1, dr = kh == 0 ? -1 : 0, pc = kw == 1 ? 0 : 1, dc = kw == 0 ? -1 : 0;
            steps[2 * k] = k;
            steps[2 * k + 1] = (qc * 4 + pr * 2 + pc) * plane + lead + dr * pitch + dc;
        }
        final float[] ap = ImplicitGemmConv2d.packedFilters(ws, false, cout, cin, 9);
        final float[] yd = y.data(), bd = bias == null ? null : bias.data();
        final int yo = y.offset(), bo = bias == null ? 0 : bias.offset();
        Parallel.forRange(g.n(), 1, (lo, hi) -> {
            float[] xp = ConvScratch.floats(Slot.PADDED_INPUT, pairs * cin * 4 * plane);
            float[] tile = ConvScratch.floats(Slot.IMPLICIT_TILE, MR * NR);
            for (int img = lo; img < hi; img++) {
                for (int q = 0; q < pairs; q++) {
                    Tensor x = xs[q];
                    for (int c = 0; c < cin; c++) {
                        split(x.data(), x.offset() + (img * cin + c) * hw, h, w, pitch, lead, plane, xp, (q * cin + c) * 4 * plane);
                    }
                }
                int yImg = yo + img * cout * p;
                for (int u0 = 0; u0 < positions; u0 += NR) {
                    for (int i = 0; i < mPanels; i++) {
                        int filters = Math.min(MR, cout - i * MR);
                        GemmVectorKernel.multiplyStepsRows(filters, kAll, steps, ap, i * kAll * MR, xp, u0, tile);
                        PaddedPlaneConv2d.store(tile, filters, u0, Math.min(NR, positions - u0), pitch, ow, yd, yImg + i * MR * p, p,
                                accumulate, bd, bo + i * MR);
                    }
                }
            }
        });
    }

    /**
     * Copies an {@code h x w} plane at {@code src[s]} into its four phase planes at {@code dst[d]}
     * ({@code plane} floats each, phase {@code 2 pr + pc}): row i of a phase at {@code lead + i pitch},
     * everything else zero.
     */
    private static void split(float[] src, int s, int h, int w, int pitch, int lead, int plane, float[] dst, int d) {
        java.util.Arrays.fill(dst, d, d + 4 * plane, 0f);
        for (int r = 0; r < h; r++) {
            int at = d + (r & 1) * 2 * plane + lead + (r >> 1) * pitch;
            RowOps.deinterleave(src, s + r * w, w, dst, at, dst, at + plane);
        }
    }
}
