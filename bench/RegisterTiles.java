import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernel's register tile alone, 8 rows (as {@code GemmVectorKernel}) against 12, over
 * packed panels that stay in L1/L2 and a constant B stride: what the core gives a tile shape before any
 * packing, memory or table lookups. On AMD EPYC Zen 4 both reach 97-98 % of the FMA peak; on a core
 * whose FMA ports also take scalar work (Intel's, with AVX-512), the 12-row tile issues fewer
 * instructions per FMA and may not tie. Run once per CPU family before changing the tile:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector bench/RegisterTiles.java [KC (256)] [SECONDS (1)]
 * </pre>
 * Compare with the FMA peak that {@code ./apoptosis bench kernels} prints first.
 */
public class RegisterTiles {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length(), NR = 2 * VL;

    public static void main(String[] args) {
        int kc = args.length > 0 ? Integer.parseInt(args[0]) : 256, n = 512, m = 48;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        float[] ap = new float[m * kc], bp = new float[n * kc], c = new float[m * n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < ap.length; i++) ap[i] = r.nextFloat();
        for (int i = 0; i < bp.length; i++) bp[i] = r.nextFloat();
        for (int round = 0; round < 7; round++) {
            for (int rows : new int[] {8, 12}) {
                long t0 = System.nanoTime(), reps = 0;
                double elapsed;
                do {
                    for (int i = 0; i < m; i += rows) {
                        for (int j = 0; j < n; j += NR) {
                            if (rows == 8) tile8(kc, ap, i * kc, bp, j * kc, c, i * n + j, n);
                            else tile12(kc, ap, i * kc, bp, j * kc, c, i * n + j, n);
                        }
                    }
                    reps++;
                    elapsed = (System.nanoTime() - t0) / 1e9;
                } while (elapsed < seconds);
                if (round > 0) System.out.printf("round %d  %2d x %d tile  %6.1f GFLOP/s%n", round, rows, NR, 2.0 * m * n * kc * reps / elapsed / 1e9);
            }
        }
    }

    static void tile8(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
        FloatVector c0a = FloatVector.zero(S), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a,
                c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a, c7a = c0a, c7b = c0a;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * NR, ao = ai + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, ap[ao]); c0a = x.fma(b0, c0a); c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[ao + 1]); c1a = x.fma(b0, c1a); c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[ao + 2]); c2a = x.fma(b0, c2a); c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[ao + 3]); c3a = x.fma(b0, c3a); c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, ap[ao + 4]); c4a = x.fma(b0, c4a); c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, ap[ao + 5]); c5a = x.fma(b0, c5a); c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, ap[ao + 6]); c6a = x.fma(b0, c6a); c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, ap[ao + 7]); c7a = x.fma(b0, c7a); c7b = x.fma(b1, c7b);
        }
        // Named stores, not an array of vectors: that would box them.
        c0a.intoArray(c, ci + 0 * ldc); c0b.intoArray(c, ci + 0 * ldc + VL);
        c1a.intoArray(c, ci + 1 * ldc); c1b.intoArray(c, ci + 1 * ldc + VL);
        c2a.intoArray(c, ci + 2 * ldc); c2b.intoArray(c, ci + 2 * ldc + VL);
        c3a.intoArray(c, ci + 3 * ldc); c3b.intoArray(c, ci + 3 * ldc + VL);
        c4a.intoArray(c, ci + 4 * ldc); c4b.intoArray(c, ci + 4 * ldc + VL);
        c5a.intoArray(c, ci + 5 * ldc); c5b.intoArray(c, ci + 5 * ldc + VL);
        c6a.intoArray(c, ci + 6 * ldc); c6b.intoArray(c, ci + 6 * ldc + VL);
        c7a.intoArray(c, ci + 7 * ldc); c7b.intoArray(c, ci + 7 * ldc + VL);
    }

    static void tile12(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
        FloatVector c0a = FloatVector.zero(S), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a,
                c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a, c7a = c0a, c7b = c0a,
                c8a = c0a, c8b = c0a, c9a = c0a, c9b = c0a, c10a = c0a, c10b = c0a, c11a = c0a, c11b = c0a;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * NR, ao = ai + p * 12;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, ap[ao]); c0a = x.fma(b0, c0a); c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[ao + 1]); c1a = x.fma(b0, c1a); c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[ao + 2]); c2a = x.fma(b0, c2a); c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[ao + 3]); c3a = x.fma(b0, c3a); c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, ap[ao + 4]); c4a = x.fma(b0, c4a); c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, ap[ao + 5]); c5a = x.fma(b0, c5a); c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, ap[ao + 6]); c6a = x.fma(b0, c6a); c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, ap[ao + 7]); c7a = x.fma(b0, c7a); c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(S, ap[ao + 8]); c8a = x.fma(b0, c8a); c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(S, ap[ao + 9]); c9a = x.fma(b0, c9a); c9b = x.fma(b1, c9b);
            x = FloatVector.broadcast(S, ap[ao + 10]); c10a = x.fma(b0, c10a); c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(S, ap[ao + 11]); c11a = x.fma(b0, c11a); c11b = x.fma(b1, c11b);
        }
        c0a.intoArray(c, ci + 0 * ldc); c0b.intoArray(c, ci + 0 * ldc + VL);
        c1a.intoArray(c, ci + 1 * ldc); c1b.intoArray(c, ci + 1 * ldc + VL);
        c2a.intoArray(c, ci + 2 * ldc); c2b.intoArray(c, ci + 2 * ldc + VL);
        c3a.intoArray(c, ci + 3 * ldc); c3b.intoArray(c, ci + 3 * ldc + VL);
        c4a.intoArray(c, ci + 4 * ldc); c4b.intoArray(c, ci + 4 * ldc + VL);
        c5a.intoArray(c, ci + 5 * ldc); c5b.intoArray(c, ci + 5 * ldc + VL);
        c6a.intoArray(c, ci + 6 * ldc); c6b.intoArray(c, ci + 6 * ldc + VL);
        c7a.intoArray(c, ci + 7 * ldc); c7b.intoArray(c, ci + 7 * ldc + VL);
        c8a.intoArray(c, ci + 8 * ldc); c8b.intoArray(c, ci + 8 * ldc + VL);
        c9a.intoArray(c, ci + 9 * ldc); c9b.intoArray(c, ci + 9 * ldc + VL);
        c10a.intoArray(c, ci + 10 * ldc); c10b.intoArray(c, ci + 10 * ldc + VL);
        c11a.intoArray(c, ci + 11 * ldc); c11b.intoArray(c, ci + 11 * ldc + VL);
    }
}
