package dev.apoptosis.tensor.conv;

import static dev.apoptosis.tensor.gemm.GemmVectorKernel.NR;

import dev.apoptosis.tensor.gemm.Gemm;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan of an {@link ImplicitGemmConv2d} call: the k steps of every output position, shared by
 * positions of one class (the set of filter taps inside the image): {@code tables[k][b]}
 * holds, for k block b of the GEMM's blocking ({@link Gemm#kBlock}), pairs (packed-filter column,
 * offset in the batch-innermost input {@code xt}, whose pixel rows are {@code px} floats apart and
 * terms {@code plane} apart, relative to the position's {@code base}) for each term, input channel and
 * tap inside the image, in im2col's k order; position {@code pos} uses class {@code classOf[pos]}
 * with offsets added to {@code base[pos]}, the offset in {@code xt} of the input pixel under its
 * (0, 0) tap were there no padding. A block with no step inside the image is an empty table.
 *
 * <p>The plan also fixes the input copy's layout, which the offsets assume: {@code np} images
 * (the batch padded to whole panels of {@link dev.apoptosis.tensor.gemm.GemmVectorKernel#NR}), pixel
 * rows {@code px} floats apart ({@link #unaliased}), terms {@code plane} apart.
 */
record ImplicitGemmSteps(int np, int px, int plane, int[][][] tables, int[] classOf, int[] base) {
    private record Key(ConvGeometry g, int pairs) {}

    /** The plans of the last few geometries: a network's layers repeat every step, and a plan is read-only. */
    private static final Map<Key, ImplicitGemmSteps> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, ImplicitGemmSteps> eldest) {
            return size() > 64;
        }
    };

    /** {@link #of}, remembered per geometry and number of terms. */
    static ImplicitGemmSteps cached(ConvGeometry g, int pairs) {
        Key key = new Key(g, pairs);
        synchronized (CACHE) {
            ImplicitGemmSteps s = CACHE.get(key);
            if (s != null) return s;
        }
        ImplicitGemmSteps s = of(g, pairs);
        synchronized (CACHE) {
            CACHE.put(key, s);
        }
        return s;
    }

    static ImplicitGemmSteps of(ConvGeometry g, int pairs) {
        final int kh = g.kernelH(), kw = g.kernelW(), taps = kh * kw, w = g.inW();
        final int np = paddedBatch(g.n()), px = unaliased(g.inChannels() * np), plane = g.inH() * w * px;
        final int ow = g.outW(), p = g.outH() * ow;
        int[] classOf = new int[p], base = new int[p];
        Map<BitSet, Integer> classes = new HashMap<>();
        List<int[][]> tables = new ArrayList<>();
        for (int pos = 0; pos < p; pos++) {
            int oh = pos / ow, oc = pos % ow;
            int ih0 = oh * g.strideH() - g.padH(), iw0 = oc * g.strideW() - g.padW();
            base[pos] = (ih0 * w + iw0) * px;
            BitSet inside = new BitSet(taps);
            for (int t = 0; t < taps; t++) {
                int ih = ih0 + t / kw * g.dilationH(), iw = iw0 + t % kw * g.dilationW();
                if (ih >= 0 && ih < g.inH() && iw >= 0 && iw < w) inside.set(t);
            }
            Integer k = classes.get(inside);
            if (k == null) {
                k = tables.size();
                classes.put(inside, k);
                tables.add(table(g, inside, pairs, px, plane));
            }
            classOf[pos] = k;
        }
        return new ImplicitGemmSteps(np, px, plane, tables.toArray(new int[0][][]), classOf, base);
    }

    private static int[][] table(ConvGeometry g, BitSet inside, int pairs, int px, int plane) {
        final int kw = g.kernelW(), taps = g.kernelH() * kw, cin = g.inChannels(), w = g.inW();
        final int kAll = pairs * cin * taps, kb = Gemm.kBlock(kAll), blocks = (kAll + kb - 1) / kb;
        int[] all = new int[2 * pairs * cin * inside.cardinality()];
        int[] ends = new int[blocks];
        int s = 0;
        for (int q = 0; q < pairs; q++) {
            for (int c = 0; c < cin; c++) {
                for (int t = inside.nextSetBit(0); t >= 0; t = inside.nextSetBit(t + 1), s += 2) {
                    int k = (q * cin + c) * taps + t;
                    all[s] = k;
                    all[s + 1] = q * plane + (t / kw * g.dilationH() * w + t % kw * g.dilationW()) * px + c * NR;
                    ends[k / kb] = s + 2;
                }
            }
        }
        int[][] byBlock = new int[blocks][];
        for (int b = 0, from = 0; b < blocks; b++) {
            int to = Math.max(from, ends[b]);
            byBlock[b] = Arrays.copyOfRange(all, from, to);
            from = to;
        }
        return byBlock;
    }

    /** The batch padded to whole image panels of NR. */
    static int paddedBatch(int n) {
        return (n + NR - 1) / NR * NR;
    }

    /**
     * A row pitch of at least {@code floats} that is an odd number of 64-byte lines: the pixel rows of
     * xt are then spread over the cache sets instead of all mapping to the same ones, as rows a power of
     * two apart do, which made the layout change several times slower (AMD EPYC Zen 4).
     */
    static int unaliased(int floats) {
        int lines = (floats + 15) / 16;
        return (lines | 1) * 16;
    }
}
