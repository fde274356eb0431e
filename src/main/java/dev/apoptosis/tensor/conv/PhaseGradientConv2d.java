package dev.apoptosis.tensor.conv;

import static dev.apoptosis.tensor.gemm.GemmVectorKernel.MR;
import static dev.apoptosis.tensor.gemm.GemmVectorKernel.NR;

import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.ConvScratch.Slot;
import dev.apoptosis.tensor.gemm.GemmVectorKernel;
import dev.apoptosis.tensor.gemm.RegisterTranspose;
import dev.apoptosis.tensor.window.ConvGeometry;

/**
 * The input gradient of a stride-2 3x3 pad-1 convolution (a ResNet's downsampling layer) as four
 * implicit GEMMs, one per <em>phase</em> of the input gradient (even or odd rows, even or odd
 * columns), each reading the output gradient in place of a patch matrix.
 *
 * <p>Input pixel {@code (ih, iw)} received gradient from output {@code (oh, ow)} through tap
 * {@code (kh, kw)} when {@code ih = 2 oh + kh - 1}: an even row only through {@code kh = 1} from
 * {@code oh = ih / 2}; an odd row through {@code kh = 0} from {@code oh = (ih + 1) / 2} and {@code kh = 2}
 * from {@code (ih - 1) / 2}; columns alike. So phase {@code (a, b)} at {@code (i, j)} (input
 * {@code (2i + a, 2j + b)}) is a small convolution of the output gradient at {@code (i + di, j + dj)},
 * {@code di, dj} in {0, 1}, with 1, 2, 2 and 4 of the nine taps: every product of the pass is one of
 * the convolution's, none multiplies padding, and no patch matrix is written. The output gradient is
 * read from a copy of each plane with a zero column after every row (rows {@code pitch = outW + 1}
 * apart) and a zero row below, so a run of 32 phase positions numbered {@code u = i pitch + j} reads 32
 * contiguous floats per (channel, tap), as in {@link PaddedPlaneConv2d}.
 *
 * <p>Against GEMM + col2im, which it replaces for these layers: that GEMM's inner dimension is the
 * output channels alone (11 to 32 in ResNet-20 and its pruned forms), its 2.25 images of patch
 * gradients per image go through memory and col2im adds them back with scattered stores.
 *
 * <p><b>Bits.</b> Each input-gradient value is one accumulation over (term, output channel, tap) in
 * that order, so results do not depend on the thread count; they differ from GEMM + col2im's (which
 * sums each tap over the channels first) by rounding. The rule depends on the geometry alone, never
 * on the batch size, so a sample's gradient does not depend on the batch it is in.
 */
final class PhaseGradientConv2d {
    private PhaseGradientConv2d() {}

    /** True for the geometries this class computes: the vector path, one group, 3x3 stride 2 pad 1 dilation 1, an input twice the output. */
    static boolean supports(ConvGeometry g) {
        return Simd.enabled() && g.groups() == 1 && g.kernelH() == 3 && g.kernelW() == 3 && g.strideH() == 2
                && g.strideW() == 2 && g.padH() == 1 && g.padW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && g.inH() == 2 * g.outH() && g.inW() == 2 * g.outW();
    }

    /**
     * True when {@code g}'s input gradient should run here: supported, with at most 64 output channels
     * (the inner dimension of GEMM + col2im's product, whose short products this replaces).
     *
     * <p>Measured against GEMM + col2im ({@code bench/ImplicitConvPaths.java -Dpath=PhaseGradientConv2d ...
     * in}, both alternated in one JVM; AMD EPYC Zen 4, one thread, batch 128): 16 to 32 channels from 32x32
     * (ResNet-20's layer2.0.conv1) 1.37x, pruned 16 to 11 1.70x, 11 to 23 1.22x, 30 to 14 from 16x16 1.68x;
     * 32 to 64 from 16x16 0.99x, 128 to 256 (batch 64) 0.80x, where the GEMM's inner dimension is long.
     * With its stores in runs (later): 16 to 32 1.50-1.56x, 32 to 64 1.05-1.08x, 23 to 45 1.08-1.23x,
     * 64 to 128 (batch 64) 0.86-0.97x.
     */
    static boolean applies(ConvGeometry g) {
        if (!supports(g)) return false;
        Boolean f = ConvPath.PHASE_GRADIENT.forced();
        return f != null ? f : g.outChannels() <= 64;
    }

    /**
     * {@code gx (+)= Σ_q conv^T(gys[q], ws[q])}: the input gradient of {@code g} for output gradients {@code gys}
     * and filters {@code ws} ({@code [cout][cin][3][3]}), summed over the terms (one, or a tangent / R-adjoint pair).
     */
    static void backwardInput(ConvGeometry g, Tensor[] gys, Tensor[] ws, Tensor gx, boolean accumulate) {
        ConvPath.PHASE_GRADIENT.took();
        final int cin = g.inChannels(), cout = g.outChannels(), oh = g.outH(), ow = g.outW(), w = g.inW();
        final int terms = gys.length, pitch = ow + 1, plane = (oh + 1) * pitch, positions = oh * pitch;
        final int planes = terms * cout, slack = NR + pitch + 2, mPanels = (cin + MR - 1) / MR;
        final int[][] steps = new int[4][];
        final int[] aBase = new int[4];
        for (int phase = 0, base = 0; phase < 4; phase++) {
            steps[phase] = steps(phase, planes, plane, pitch);
            aBase[phase] = base;
            base += mPanels * (steps[phase].length / 2) * MR;
        }
        final float[] ap = packedFilters(ws, cin, cout, mPanels, steps, aBase);
        final int[][][] runs = {runs(0, oh, ow, w), runs(1, oh, ow, w)};
        final float[] gxd = gx.data();
        final int gxo = gx.offset(), hw = g.inH() * w, p = oh * ow;
        Parallel.forRange(g.n(), 1, (lo, hi) -> {
            float[] gp = ConvScratch.floats(Slot.PADDED_GRAD, planes * plane + slack);
            float[] tile = ConvScratch.floats(Slot.IMPLICIT_TILE, MR * NR);
            float[] tileOdd = ConvScratch.floats(Slot.PHASE_ODD_TILE, MR * NR);
            float[] pair = ConvScratch.floats(Slot.PHASE_PAIRS, 2 * MR * NR);
            java.util.Arrays.fill(gp, planes * plane, planes * plane + slack, 0f);
            for (int img = lo; img < hi; img++) {
                for (int q = 0; q < terms; q++) {
                    Tensor gy = gys[q];
                    for (int o = 0; o < cout; o++) {
                        PaddedPlaneConv2d.stack(gy.data(), gy.offset() + (img * cout + o) * p, p, 1, oh, ow, 1, gp,
                                (q * cout + o) * plane, 0, plane);
                    }
                }
                int gxImg = gxo + img * cin * hw;
                // The two column phases of a row phase together: their values interleave along the rows of gx.
                for (int a = 0; a < 2; a++) {
                    int even = 2 * a, odd = even + 1, kEven = steps[even].length / 2, kOdd = steps[odd].length / 2;
                    for (int u0 = 0; u0 < positions; u0 += NR) {
                        for (int i = 0; i < mPanels; i++) {
                            int rows = Math.min(MR, cin - i * MR);
                            GemmVectorKernel.multiplyStepsRows(rows, kEven, steps[even], ap, aBase[even] + i * kEven * MR, gp, u0, tile);
                            GemmVectorKernel.multiplyStepsRows(rows, kOdd, steps[odd], ap, aBase[odd] + i * kOdd * MR, gp, u0, tileOdd);
                            store(tile, tileOdd, pair, rows, runs[a][u0 / NR], hw, gxd, gxImg + i * MR * hw, accumulate);
                        }
                    }
                }
            }
        });
    }

    /**
     * The k steps of phase {@code 2a + b}: for each plane (term, output channel) and each of the phase's taps
     * (rows then columns), the pair (k, offset of the tap's value for position 0 in the padded planes).
     */
    private static int[] steps(int phase, int planes, int plane, int pitch) {
        int[][] rows = tapsOf(phase >> 1), cols = tapsOf(phase & 1);
        int taps = rows.length * cols.length;
        int[] steps = new int[2 * planes * taps];
        int k = 0;
        for (int o = 0; o < planes; o++) {
            for (int[] r : rows) {
                for (int[] c : cols) {
                    steps[2 * k] = k;
                    steps[2 * k + 1] = o * plane + r[1] * pitch + c[1];
                    k++;
                }
            }
        }
        return steps;
    }

    /** The (tap, shift) pairs of an even (0) or odd (1) input row or column: kernel index and output offset. */
    private static int[][] tapsOf(int parity) {
        return parity == 0 ? new int[][] {{1, 0}} : new int[][] {{0, 1}, {2, 0}};
    }

    /**
     * The filters of all four phases as A micro-panels of MR input channels ({@code ap[aBase[phase] + (i k + s) MR + r]}
     * = the weight that step s of the phase multiplies for input channel {@code i MR + r}; zero past the last).
     */
    private static float[] packedFilters(Tensor[] ws, int cin, int cout, int mPanels, int[][] steps, int[] aBase) {
        int total = aBase[3] + mPanels * (steps[3].length / 2) * MR;
        float[] ap = ConvScratch.floats(Slot.IMPLICIT_FILTERS, total);
        for (int phase = 0; phase < 4; phase++) {
            int[][] rows = tapsOf(phase >> 1), cols = tapsOf(phase & 1);
            int k = steps[phase].length / 2, taps = rows.length * cols.length;
            for (int i = 0; i < mPanels; i++) {
                int d = aBase[phase] + i * k * MR;
                for (int s = 0; s < k; s++) {
                    int plane = s / taps, t = s % taps, q = plane / cout, o = plane % cout;
                    int kh = rows[t / cols.length][0], kw = cols[t % cols.length][0];
                    float[] wd = ws[q].data();
                    int from = ws[q].offset() + (o * cin * 3 + kh) * 3 + kw;
                    for (int r = 0; r < MR; r++) {
                        int c = i * MR + r;
                        ap[d + s * MR + r] = c < cin ? wd[from + c * 9] : 0f;
                    }
                }
            }
        }
        return ap;
    }

    /**
     * Where row phase {@code a}'s positions land in an input-gradient plane, per tile of NR positions
     * ({@code runs[u0 / NR]}): triples (first position in the tile, count, offset in the plane) of the runs
     * of valid positions on one gx row; position {@code u = i pitch + j} of the even-column phase lands at
     * {@code (2i + a) w + 2j}, the odd-column phase's just after, and the junk positions (past a row's
     * {@code ow}, past the last row) are in no run. Worked out once per call, so the stores neither divide
     * nor look positions up.
     */
    private static int[][] runs(int a, int oh, int ow, int w) {
        int pitch = ow + 1, positions = oh * pitch, tiles = (positions + NR - 1) / NR;
        int[][] runs = new int[tiles][];
        for (int t = 0; t < tiles; t++) {
            int[] found = new int[3 * NR];
            int n = 0;
            for (int e = 0; e < NR; ) {
                int u = t * NR + e, i = u / pitch, j = u % pitch;
                if (i >= oh || j >= ow) {
                    e++;
                    continue;
                }
                int len = Math.min(NR - e, ow - j);
                found[n++] = e;
                found[n++] = len;
                found[n++] = (2 * i + a) * w + 2 * j;
                e += len;
            }
            runs[t] = java.util.Arrays.copyOf(found, n);
        }
        return runs;
    }

    /**
     * Stores (or adds) the tiles of one NR-position tile of a row phase's even- and odd-column phases into
     * channel r's input-gradient plane {@code gx[d + r hw]} along its {@code runs}. Each tile row is first
     * interleaved into {@code pair} (even and odd columns side by side, as they lie in gx), then copied or
     * added per run: value-by-value stores with a table lookup each were a third of the pass.
     */
    private static void store(float[] even, float[] odd, float[] pair, int rows, int[] runs, int hw, float[] gx, int d,
                              boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            if (RegisterTranspose.AVAILABLE) {
                for (int e = 0; e < NR; e += RegisterTranspose.BLOCK) {
                    RegisterTranspose.interleave(even, r * NR + e, odd, r * NR + e, pair, r * 2 * NR + 2 * e);
                }
            } else {
                for (int e = 0; e < NR; e++) {
                    pair[r * 2 * NR + 2 * e] = even[r * NR + e];
                    pair[r * 2 * NR + 2 * e + 1] = odd[r * NR + e];
                }
            }
        }
        for (int k = 0; k < runs.length; k += 3) {
            int e = runs[k], len = runs[k + 1], t = runs[k + 2];
            for (int r = 0; r < rows; r++) {
                int at = d + r * hw + t, from = r * 2 * NR + 2 * e;
                if (accumulate) {
                    RowOps.add(gx, at, pair, from, 2 * len);
                } else {
                    System.arraycopy(pair, from, gx, at, 2 * len);
                }
            }
        }
    }
}
