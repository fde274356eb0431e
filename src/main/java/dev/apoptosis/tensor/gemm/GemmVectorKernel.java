package dev.apoptosis.tensor.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled inner kernel of {@link GemmVector}: one {@link #MR} x {@link #NR} tile of
 * {@code op(A) * op(B)} over a run of {@code kc} steps of k.
 *
 * <p>The tile lives in {@code MR * 2} FloatVector accumulators (two vectors per row of C, 16 of
 * the 32 AVX-512 registers), held in named locals so the JIT keeps them in registers. Each step of
 * k loads two vectors of packed B, broadcasts {@code MR} values of packed A and issues
 * {@code 2 * MR} fused multiply-adds: 10 loads feed 16 FMAs, which keeps the FMA units, not the
 * load ports, the bottleneck. Accumulation order is fixed (k ascending, one fused multiply-add per
 * step), so a C element's value depends only on the k-blocking, never on where its tile sits.
 *
 * <p>A full tile that overwrites C is finished straight into C; a ragged edge tile (fewer rows or
 * columns), or one added to C, is spilled to a small scratch array that {@link #update} folds into C. Both run one arithmetic:
 * {@code t = alpha * acc} then {@code c = beta * c + t} as one fused multiply-add, or {@code c = t}
 * when beta is 0, so an element's bits do not depend on the kind of tile it lands in. (Finishing in
 * place saved the tile's store and reload: sgemm +1-3%, Winograd convolutions +3-6%, AMD EPYC
 * Zen 4, 1 thread.)
 */
public final class GemmVectorKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int VL = SPECIES.length();
    /** Rows of the register tile. */
    public static final int MR = 8;
    /** Columns of the register tile: two vectors. */
    public static final int NR = 2 * VL;

    private GemmVectorKernel() {}

    /**
     * Multiplies a packed A micro-panel ({@code kc} steps of {@link #MR} values from {@code ai}) by
     * a B micro-panel ({@code kc} steps of {@link #NR} values, step p at {@code bi + p * bStride}:
     * packed B has stride NR, B read in place its leading dimension) and stores the
     * {@code MR x NR} tile row-major into {@code tile}.
     */
    static void multiply(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        multiply(kc, ap, ai, bp, bi, bStride, tile, 0, NR, 1f);
    }

    /**
     * {@link #multiply} finishing into C: {@code c = alpha * acc} for the whole tile at {@code c[ci]}
     * (row stride {@code ldc}), {@link #update}'s arithmetic for a beta of 0 without the trip through
     * the tile buffer. With {@code (tile, 0, NR, 1)} it stores the tile itself (a product by 1 is exact).
     */
    static void multiply(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] c, int ci, int ldc,
                         float alpha) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a,
                c3a = c0a, c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a,
                c7a = c0a, c7b = c0a;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * bStride;
            int ao = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[ao]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
        }
        FloatVector av = FloatVector.broadcast(SPECIES, alpha);
        c0a.mul(av).intoArray(c, ci);
        c0b.mul(av).intoArray(c, ci + VL);
        c1a.mul(av).intoArray(c, ci + ldc);
        c1b.mul(av).intoArray(c, ci + ldc + VL);
        c2a.mul(av).intoArray(c, ci + 2 * ldc);
        c2b.mul(av).intoArray(c, ci + 2 * ldc + VL);
        c3a.mul(av).intoArray(c, ci + 3 * ldc);
        c3b.mul(av).intoArray(c, ci + 3 * ldc + VL);
        c4a.mul(av).intoArray(c, ci + 4 * ldc);
        c4b.mul(av).intoArray(c, ci + 4 * ldc + VL);
        c5a.mul(av).intoArray(c, ci + 5 * ldc);
        c5b.mul(av).intoArray(c, ci + 5 * ldc + VL);
        c6a.mul(av).intoArray(c, ci + 6 * ldc);
        c6b.mul(av).intoArray(c, ci + 6 * ldc + VL);
        c7a.mul(av).intoArray(c, ci + 7 * ldc);
        c7b.mul(av).intoArray(c, ci + 7 * ldc + VL);
    }


    /**
     * {@link #multiply} for a panel of at most 4 real rows (rows 4-7 of packed A are the zero padding
     * of a ragged last panel): the same arithmetic on rows 0-3 only, leaving rows 4-7 of
     * {@code tile} untouched. A pruned layer's output channels (11, 19, 23, ...) end in such
     * panels, where the full kernel would spend half or more of its multiply-adds on zeros. Its loop
     * repeats {@link #multiply}'s on purpose: the accumulators must be named locals for the JIT to
     * keep them in registers, so a row count cannot be a parameter of one loop (see {@link #multiplySteps}).
     */
    static void multiply4(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a,
                c3a = c0a, c3b = c0a;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * bStride;
            int ao = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[ao]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
        }
        c0a.intoArray(tile, 0);
        c0b.intoArray(tile, VL);
        c1a.intoArray(tile, NR);
        c1b.intoArray(tile, NR + VL);
        c2a.intoArray(tile, 2 * NR);
        c2b.intoArray(tile, 2 * NR + VL);
        c3a.intoArray(tile, 3 * NR);
        c3b.intoArray(tile, 3 * NR + VL);
    }

    /** {@link #multiply4} for a panel of at most 2 real rows. */
    static void multiply2(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * bStride;
            int ao = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[ao]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
        }
        c0a.intoArray(tile, 0);
        c0b.intoArray(tile, VL);
        c1a.intoArray(tile, NR);
        c1b.intoArray(tile, NR + VL);
    }

    /** The kernel for a panel of {@code rows} real rows: {@link #multiply}, {@link #multiply4} or {@link #multiply2}. */
    static void multiplyRows(int rows, int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        if (rows > 4) {
            multiply(kc, ap, ai, bp, bi, bStride, tile);
        } else if (rows > 2) {
            multiply4(kc, ap, ai, bp, bi, bStride, tile);
        } else {
            multiply2(kc, ap, ai, bp, bi, bStride, tile);
        }
    }

    /**
     * {@link #multiply} with B read where it lies instead of at even steps ({@code conv.ImplicitIm2row}):
     * step s takes A's column {@code steps[2s]} of the packed panel at {@code ai} and the NR B values
     * from {@code bp[steps[2s + 1] + bAdd]}, for {@code n} steps in order.
     *
     * <p>A twin of {@link #multiply} on purpose, measured with {@code bench kernels --threads 1} on
     * alternated builds: one kernel serving both with
     * the step index chosen by a null test inside the loop made the forward convolutions 15-30% slower
     * (16 channels, 32x32: 7.6 against 9.7-9.9 ms); this kernel alone, with {@link GemmVector} passing
     * even steps from a table, made sgemm and the forward and input-gradient convolutions 5-10% slower
     * (sgemm n=512 2.49-2.61 against 2.75-2.78 ms); and a loop over runs of even steps nested in a loop
     * over runs, instead of this flat loop, ran the weight gradient 10x slower, the JIT no longer keeping
     * the accumulators in registers.
     */
    public static void multiplySteps(int n, int[] steps, float[] ap, int ai, float[] bp, int bAdd, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a,
                c3a = c0a, c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a,
                c7a = c0a, c7b = c0a;
        for (int s = 0; s < n; s++) {
            int ao = ai + steps[2 * s] * MR, bo = steps[2 * s + 1] + bAdd;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[ao]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
        }
        c0a.intoArray(tile, 0);
        c0b.intoArray(tile, VL);
        c1a.intoArray(tile, NR);
        c1b.intoArray(tile, NR + VL);
        c2a.intoArray(tile, 2 * NR);
        c2b.intoArray(tile, 2 * NR + VL);
        c3a.intoArray(tile, 3 * NR);
        c3b.intoArray(tile, 3 * NR + VL);
        c4a.intoArray(tile, 4 * NR);
        c4b.intoArray(tile, 4 * NR + VL);
        c5a.intoArray(tile, 5 * NR);
        c5b.intoArray(tile, 5 * NR + VL);
        c6a.intoArray(tile, 6 * NR);
        c6b.intoArray(tile, 6 * NR + VL);
        c7a.intoArray(tile, 7 * NR);
        c7b.intoArray(tile, 7 * NR + VL);
    }

    /**
     * {@link #multiplySteps} for a panel of at most 6 (or 4: {@link #multiplySteps4}) real rows, leaving the
     * rows past them in {@code tile} untouched: a pruned layer's last filter panel (as {@link #multiply4}
     * for {@link #multiply}).
     */
    public static void multiplySteps6(int n, int[] steps, float[] ap, int ai, float[] bp, int bAdd, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a;
        for (int s = 0; s < n; s++) {
            int ao = ai + steps[2 * s] * MR, bo = steps[2 * s + 1] + bAdd;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[ao]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
        }
        c0a.intoArray(tile, 0);
        c0b.intoArray(tile, VL);
        c1a.intoArray(tile, NR);
        c1b.intoArray(tile, NR + VL);
        c2a.intoArray(tile, 2 * NR);
        c2b.intoArray(tile, 2 * NR + VL);
        c3a.intoArray(tile, 3 * NR);
        c3b.intoArray(tile, 3 * NR + VL);
        c4a.intoArray(tile, 4 * NR);
        c4b.intoArray(tile, 4 * NR + VL);
        c5a.intoArray(tile, 5 * NR);
        c5b.intoArray(tile, 5 * NR + VL);
    }

    /** {@link #multiplySteps6} for at most 4 real rows. */
    public static void multiplySteps4(int n, int[] steps, float[] ap, int ai, float[] bp, int bAdd, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a;
        for (int s = 0; s < n; s++) {
            int ao = ai + steps[2 * s] * MR, bo = steps[2 * s + 1] + bAdd;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[ao]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
        }
        c0a.intoArray(tile, 0);
        c0b.intoArray(tile, VL);
        c1a.intoArray(tile, NR);
        c1b.intoArray(tile, NR + VL);
        c2a.intoArray(tile, 2 * NR);
        c2b.intoArray(tile, 2 * NR + VL);
        c3a.intoArray(tile, 3 * NR);
        c3b.intoArray(tile, 3 * NR + VL);
    }

    /** The steps kernel for a panel of {@code rows} real rows: {@link #multiplySteps}, {@link #multiplySteps6} or {@link #multiplySteps4}. */
    public static void multiplyStepsRows(int rows, int n, int[] steps, float[] ap, int ai, float[] bp, int bAdd, float[] tile) {
        if (rows > 6) {
            multiplySteps(n, steps, ap, ai, bp, bAdd, tile);
        } else if (rows > 4) {
            multiplySteps6(n, steps, ap, ai, bp, bAdd, tile);
        } else {
            multiplySteps4(n, steps, ap, ai, bp, bAdd, tile);
        }
    }

    /**
     * {@link #multiply} over k steps that come in threes, B read where it lies: entry s of {@code rows}
     * gives the offset of three steps whose NR B values start at {@code rows[s] + bAdd}, {@code + 1} and
     * {@code + 2}, with A's packed panel read in order from {@code ai} (steps 3s, 3s + 1, 3s + 2). These
     * are the three taps of a filter row of a 3-wide kernel over a padded plane
     * ({@code conv.PaddedPlaneConv2d}). Against {@link #multiplySteps} with a (column, offset) pair per
     * step, the A index is affine (its bounds checks leave the loop) and the three B offsets share one
     * table load and one bounds check: ~36 instructions per 16 FMAs instead of ~61 (C2's code on AMD
     * EPYC Zen 4, {@code tools/jit-disasm.sh}), 1.03-1.04x on the 16-channel convolutions it serves.
     */
    public static void multiplyThreeTapRows(int[] rows, float[] ap, int ai, float[] bp, int bAdd, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a, c7a = c0a, c7b = c0a;
        for (int s = 0; s < rows.length; s++) {
            int rb = rows[s] + bAdd, ao = ai + s * (3 * MR);
            FloatVector b0, b1, x;
            b0 = FloatVector.fromArray(SPECIES, bp, rb);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            b0 = FloatVector.fromArray(SPECIES, bp, rb + 1);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + 1 + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            b0 = FloatVector.fromArray(SPECIES, bp, rb + 2);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + 2 + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
        }
        c0a.intoArray(tile, 0 * NR);
        c0b.intoArray(tile, 0 * NR + VL);
        c1a.intoArray(tile, 1 * NR);
        c1b.intoArray(tile, 1 * NR + VL);
        c2a.intoArray(tile, 2 * NR);
        c2b.intoArray(tile, 2 * NR + VL);
        c3a.intoArray(tile, 3 * NR);
        c3b.intoArray(tile, 3 * NR + VL);
        c4a.intoArray(tile, 4 * NR);
        c4b.intoArray(tile, 4 * NR + VL);
        c5a.intoArray(tile, 5 * NR);
        c5b.intoArray(tile, 5 * NR + VL);
        c6a.intoArray(tile, 6 * NR);
        c6b.intoArray(tile, 6 * NR + VL);
        c7a.intoArray(tile, 7 * NR);
        c7b.intoArray(tile, 7 * NR + VL);
    }

    /**
     * {@link #multiplyThreeTapRows} for a panel of at most 6 real rows, leaving rows 6-7 of {@code tile}
     * untouched: a pruned layer's filter panel of 5 or 6 (16 to 5 or 6 channels in a pruned ResNet-20's
     * first stage), where the 8-row kernel spends a quarter or more of its multiply-adds on zeros.
     */
    public static void multiplyThreeTapRows6(int[] rows, float[] ap, int ai, float[] bp, int bAdd, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a;
        for (int s = 0; s < rows.length; s++) {
            int rb = rows[s] + bAdd, ao = ai + s * (3 * MR);
            FloatVector b0, b1, x;
            b0 = FloatVector.fromArray(SPECIES, bp, rb);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            b0 = FloatVector.fromArray(SPECIES, bp, rb + 1);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + 1 + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            b0 = FloatVector.fromArray(SPECIES, bp, rb + 2);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + 2 + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
        }
        c0a.intoArray(tile, 0 * NR);
        c0b.intoArray(tile, 0 * NR + VL);
        c1a.intoArray(tile, 1 * NR);
        c1b.intoArray(tile, 1 * NR + VL);
        c2a.intoArray(tile, 2 * NR);
        c2b.intoArray(tile, 2 * NR + VL);
        c3a.intoArray(tile, 3 * NR);
        c3b.intoArray(tile, 3 * NR + VL);
        c4a.intoArray(tile, 4 * NR);
        c4b.intoArray(tile, 4 * NR + VL);
        c5a.intoArray(tile, 5 * NR);
        c5b.intoArray(tile, 5 * NR + VL);
    }

    /**
     * {@link #multiplyThreeTapRows} for a panel of at most 4 real rows, leaving rows 4-7 of {@code tile}
     * untouched: a pruned layer's last filter panel (as {@link #multiply4} for {@link #multiply}).
     */
    public static void multiplyThreeTapRows4(int[] rows, float[] ap, int ai, float[] bp, int bAdd, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a;
        for (int s = 0; s < rows.length; s++) {
            int rb = rows[s] + bAdd, ao = ai + s * (3 * MR);
            FloatVector b0, b1, x;
            b0 = FloatVector.fromArray(SPECIES, bp, rb);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            b0 = FloatVector.fromArray(SPECIES, bp, rb + 1);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + 1 + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            b0 = FloatVector.fromArray(SPECIES, bp, rb + 2);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + 2 + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
        }
        c0a.intoArray(tile, 0 * NR);
        c0b.intoArray(tile, 0 * NR + VL);
        c1a.intoArray(tile, 1 * NR);
        c1b.intoArray(tile, 1 * NR + VL);
        c2a.intoArray(tile, 2 * NR);
        c2b.intoArray(tile, 2 * NR + VL);
        c3a.intoArray(tile, 3 * NR);
        c3b.intoArray(tile, 3 * NR + VL);
    }

    /**
     * {@link #multiplyThreeTapRows} for a panel of at most 2 real rows, leaving rows 2-7 of {@code tile}
     * untouched: a pruned layer's 1 or 2 filters, or the last two of a panel of 8 (the 4-row kernel did
     * twice the multiplications there). Each output is the same chain of FMAs in the same order, so the
     * same bits as the wider kernels.
     */
    public static void multiplyThreeTapRows2(int[] rows, float[] ap, int ai, float[] bp, int bAdd, float[] tile) {
        FloatVector c0a = FloatVector.zero(SPECIES), c0b = c0a, c1a = c0a, c1b = c0a;
        for (int s = 0; s < rows.length; s++) {
            int rb = rows[s] + bAdd, ao = ai + s * (3 * MR);
            FloatVector b0, b1, x;
            b0 = FloatVector.fromArray(SPECIES, bp, rb);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            b0 = FloatVector.fromArray(SPECIES, bp, rb + 1);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + 1 + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + MR + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            b0 = FloatVector.fromArray(SPECIES, bp, rb + 2);
            b1 = FloatVector.fromArray(SPECIES, bp, rb + 2 + VL);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(SPECIES, ap[ao + 2 * MR + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
        }
        c0a.intoArray(tile, 0 * NR);
        c0b.intoArray(tile, 0 * NR + VL);
        c1a.intoArray(tile, 1 * NR);
        c1b.intoArray(tile, 1 * NR + VL);
    }

    /**
     * Folds the top-left {@code rows x cols} of {@code tile} into C at {@code ci}:
     * {@code c = beta * c + alpha * tile}, or {@code c = alpha * tile} without reading C when beta is 0.
     */
    public static void update(float[] tile, float[] c, int ci, int ldc, float alpha, float beta, int rows, int cols) {
        if (rows == MR && cols == NR) {
            FloatVector alphaV = FloatVector.broadcast(SPECIES, alpha);
            FloatVector betaV = FloatVector.broadcast(SPECIES, beta);
            for (int r = 0; r < MR; r++) {
                int row = ci + r * ldc;
                for (int v = 0; v < NR; v += VL) {
                    FloatVector t = FloatVector.fromArray(SPECIES, tile, r * NR + v).mul(alphaV);
                    if (beta != 0f) t = FloatVector.fromArray(SPECIES, c, row + v).fma(betaV, t);
                    t.intoArray(c, row + v);
                }
            }
        } else {
            // Same two roundings as the vector branch, so a ragged tile matches a full one bit for bit.
            for (int r = 0; r < rows; r++) {
                int row = ci + r * ldc;
                for (int j = 0; j < cols; j++) {
                    float t = tile[r * NR + j] * alpha;
                    c[row + j] = beta == 0f ? t : Math.fma(c[row + j], beta, t);
                }
            }
        }
    }
}
