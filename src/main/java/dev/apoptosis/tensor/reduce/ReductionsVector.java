package dev.apoptosis.tensor.reduce;

import dev.apoptosis.tensor.elementwise.FloatMathVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link ReductionsScalar}, accumulating in float64 lanes: each step loads one
 * vector of floats and widens its two halves exactly to two vectors of doubles. Lane partial sums
 * are folded in lane order (never {@code reduceLanes}, whose order is unspecified), so a result
 * depends only on the input and its length. Sums are rounded in a different order than the
 * scalar twins, so the two paths agree to float64 rounding, not bit for bit.
 *
 * <p><b>One float species.</b> Every float vector here is of {@link FloatMathVector#F}, the species
 * all other kernels use. Loading half-width float vectors instead (a second species) makes the
 * JIT's type profiles inside {@code FloatVector} polymorphic, after which it no longer keeps the
 * vectors of <em>other</em> kernels, the GEMM's among them, in registers: a training step ran up to
 * several times slower once a reduction with a second species had run.
 */
final class ReductionsVector {
    private ReductionsVector() {}

    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatMathVector.F;
    /** Floats per step: one float vector, two double vectors. */
    private static final int STEP = F.length();

    static {
        if (STEP != 2 * D.length()) {
            throw new IllegalStateException("float vectors of " + STEP + " lanes do not widen to two double vectors of " + D.length());
        }
    }

    private static DoubleVector low(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    private static DoubleVector high(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
    }

    /** Σ of the lanes of {@code a}, in lane order. */
    private static double fold(DoubleVector a) {
        double[] lanes = new double[D.length()];
        a.intoArray(lanes, 0);
        double s = 0;
        for (double l : lanes) s += l;
        return s;
    }

    static double sum(float[] x, int off, int n) {
        return sumSegments(x, off, n, 1, 0);
    }

    static double dot(float[] a, int ao, float[] b, int bo, int n) {
        return dotSegments(a, ao, b, bo, n, 1, 0);
    }

    /** Σ (x - center)², with the difference and square taken in double. */
    static double sumSquaredDeviations(float[] x, int off, int n, double center) {
        return squaredDeviationSegments(x, off, n, 1, 0, center);
    }

    // Segment forms: Σ over `count` segments of n values, segment k starting `k * stride` after the
    // first. Lanes accumulate across all segments and are folded once; the few values past the last
    // whole vector of each segment go to a scalar sum. (Per-channel sums use the step forms below.)
    // Each segment runs one counted loop in its own small method, with the lane accumulators loaded
    // from and stored back to a small array around it: C2 boxes vectors that cross the back edge of
    // an outer loop, and cannot drop the bounds checks of a loop whose index jumps between segments.

    /** Σ of lanes l and l + D of {@code acc} over l, in lane order: the fold of a0 + a1. */
    private static double foldPair(double[] acc, int at) {
        int d = D.length();
        double s = 0;
        for (int l = 0; l < d; l++) s += acc[at + l] + acc[at + d + l];
        return s;
    }

    private static void sumInto(float[] x, int p, int whole, double[] acc, int at) {
        int d = D.length();
        DoubleVector a0 = DoubleVector.fromArray(D, acc, at), a1 = DoubleVector.fromArray(D, acc, at + d);
        for (int i = 0; i < whole; i += STEP) {
            FloatVector v = FloatVector.fromArray(F, x, p + i);
            a0 = a0.add(low(v));
            a1 = a1.add(high(v));
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + d);
    }

    static double sumSegments(float[] x, int off, int n, int count, int stride) {
        double[] acc = new double[2 * D.length()];
        int whole = n - n % STEP;
        double tail = 0;
        for (int k = 0; k < count; k++) {
            int p = off + k * stride;
            sumInto(x, p, whole, acc, 0);
            for (int i = p + whole, end = p + n; i < end; i++) tail += x[i];
        }
        return foldPair(acc, 0) + tail;
    }

    private static void dotInto(float[] a, int pa, float[] b, int pb, int whole, double[] acc, int at) {
        int d = D.length();
        DoubleVector a0 = DoubleVector.fromArray(D, acc, at), a1 = DoubleVector.fromArray(D, acc, at + d);
        for (int i = 0; i < whole; i += STEP) {
            FloatVector x = FloatVector.fromArray(F, a, pa + i), y = FloatVector.fromArray(F, b, pb + i);
            a0 = low(x).fma(low(y), a0);
            a1 = high(x).fma(high(y), a1);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + d);
    }

    static double dotSegments(float[] a, int ao, float[] b, int bo, int n, int count, int stride) {
        double[] acc = new double[2 * D.length()];
        int whole = n - n % STEP;
        double tail = 0;
        for (int k = 0; k < count; k++) {
            int pa = ao + k * stride, pb = bo + k * stride;
            dotInto(a, pa, b, pb, whole, acc, 0);
            for (int i = whole; i < n; i++) tail += (double) a[pa + i] * b[pb + i];
        }
        return foldPair(acc, 0) + tail;
    }

    private static void squaredDeviationsInto(float[] x, int p, int whole, double center, double[] acc, int at) {
        int d = D.length();
        DoubleVector a0 = DoubleVector.fromArray(D, acc, at), a1 = DoubleVector.fromArray(D, acc, at + d);
        for (int i = 0; i < whole; i += STEP) {
            FloatVector v = FloatVector.fromArray(F, x, p + i);
            DoubleVector d0 = low(v).sub(center), d1 = high(v).sub(center);
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + d);
    }

    static double squaredDeviationSegments(float[] x, int off, int n, int count, int stride, double center) {
        double[] acc = new double[2 * D.length()];
        int whole = n - n % STEP;
        double tail = 0;
        for (int k = 0; k < count; k++) {
            int p = off + k * stride;
            squaredDeviationsInto(x, p, whole, center, acc, 0);
            for (int i = p + whole, end = p + n; i < end; i++) {
                double dv = x[i] - center;
                tail += dv * dv;
            }
        }
        return foldPair(acc, 0) + tail;
    }

    /** Σa lanes into acc[0, 2D) and Σa·b lanes into acc[2D, 4D). */
    private static void sumAndDotInto(float[] a, int pa, float[] b, int pb, int whole, double[] acc, int at) {
        int d = D.length();
        DoubleVector s0 = DoubleVector.fromArray(D, acc, at), s1 = DoubleVector.fromArray(D, acc, at + d);
        DoubleVector d0 = DoubleVector.fromArray(D, acc, at + 2 * d), d1 = DoubleVector.fromArray(D, acc, at + 3 * d);
        for (int i = 0; i < whole; i += STEP) {
            FloatVector x = FloatVector.fromArray(F, a, pa + i), y = FloatVector.fromArray(F, b, pb + i);
            DoubleVector xl = low(x), xh = high(x);
            s0 = s0.add(xl);
            s1 = s1.add(xh);
            d0 = xl.fma(low(y), d0);
            d1 = xh.fma(high(y), d1);
        }
        s0.intoArray(acc, at);
        s1.intoArray(acc, at + d);
        d0.intoArray(acc, at + 2 * d);
        d1.intoArray(acc, at + 3 * d);
    }

    /** Σ(x - shift) lanes into acc[at, at + 2D) and Σ(x - shift)² lanes into acc[at + 2D, at + 4D). */
    private static void shiftedSumsInto(float[] x, int p, int whole, double shift, double[] acc, int at) {
        int d = D.length();
        DoubleVector s0 = DoubleVector.fromArray(D, acc, at), s1 = DoubleVector.fromArray(D, acc, at + d);
        DoubleVector q0 = DoubleVector.fromArray(D, acc, at + 2 * d), q1 = DoubleVector.fromArray(D, acc, at + 3 * d);
        for (int i = 0; i < whole; i += STEP) {
            FloatVector v = FloatVector.fromArray(F, x, p + i);
            DoubleVector d0 = low(v).sub(shift), d1 = high(v).sub(shift);
            s0 = s0.add(d0);
            s1 = s1.add(d1);
            q0 = d0.fma(d0, q0);
            q1 = d1.fma(d1, q1);
        }
        s0.intoArray(acc, at);
        s1.intoArray(acc, at + d);
        q0.intoArray(acc, at + 2 * d);
        q1.intoArray(acc, at + 3 * d);
    }

    // Step forms: one segment added to a running per-channel sum whose state lives in an array from
    // `at`: the lane accumulators of up to two sums (2D lanes each), then their two scalar tails. A
    // caller that steps through a channel's segments in order and then finishes gets exactly the
    // segment form's result, while it may visit the channels of one sample in between (the memory
    // order of an NCHW map, which the hardware prefetcher follows; channel by channel it does not).

    /** Doubles of state per running sum pair. */
    static final int STATE = 4 * D.length() + 2;

    static void sumStep(float[] x, int p, int n, double[] st, int at) {
        int whole = n - n % STEP;
        sumInto(x, p, whole, st, at);
        double tail = st[at + 4 * D.length()];
        for (int i = p + whole, end = p + n; i < end; i++) tail += x[i];
        st[at + 4 * D.length()] = tail;
    }

    static void dotStep(float[] a, int pa, float[] b, int pb, int n, double[] st, int at) {
        int whole = n - n % STEP;
        dotInto(a, pa, b, pb, whole, st, at);
        double tail = st[at + 4 * D.length()];
        for (int i = whole; i < n; i++) tail += (double) a[pa + i] * b[pb + i];
        st[at + 4 * D.length()] = tail;
    }

    /** Σ(x - shift) into the first sum of the state and Σ(x - shift)² into the second (differences in double). */
    static void shiftedSumsStep(float[] x, int p, int n, double shift, double[] st, int at) {
        int whole = n - n % STEP;
        shiftedSumsInto(x, p, whole, shift, st, at);
        int t = at + 4 * D.length();
        double sTail = st[t], qTail = st[t + 1];
        for (int i = p + whole, end = p + n; i < end; i++) {
            double dv = x[i] - shift;
            sTail += dv;
            qTail += dv * dv;
        }
        st[t] = sTail;
        st[t + 1] = qTail;
    }

    /** Σa into the first sum of the state and Σa·b into the second. */
    static void sumAndDotStep(float[] a, int pa, float[] b, int pb, int n, double[] st, int at) {
        int whole = n - n % STEP;
        sumAndDotInto(a, pa, b, pb, whole, st, at);
        int t = at + 4 * D.length();
        double sTail = st[t], dTail = st[t + 1];
        for (int i = whole; i < n; i++) {
            sTail += a[pa + i];
            dTail += (double) a[pa + i] * b[pb + i];
        }
        st[t] = sTail;
        st[t + 1] = dTail;
    }

    /** The first running sum of the state (the only one of sum and dot steps). */
    static double firstResult(double[] st, int at) {
        return foldPair(st, at) + st[at + 4 * D.length()];
    }

    /** The second running sum of the state (Σa·b of {@link #sumAndDotStep}, Σ(x - shift)² of {@link #shiftedSumsStep}). */
    static double secondResult(double[] st, int at) {
        return foldPair(st, at + 2 * D.length()) + st[at + 4 * D.length() + 1];
    }

    /** Largest value (NaN if any value is NaN); n must be positive. */
    static float max(float[] x, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= F.length()) {
            FloatVector acc = FloatVector.fromArray(F, x, off);
            for (i = F.length(); i <= n - F.length(); i += F.length()) acc = acc.max(FloatVector.fromArray(F, x, off + i));
            for (int l = 0; l < F.length(); l++) m = Math.max(m, acc.lane(l));
        }
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** acc[c] += x[off + c] for c in [0, n). */
    static void addTo(float[] x, int off, double[] acc, int n) {
        int c = 0;
        for (; c <= n - STEP; c += STEP) {
            FloatVector v = FloatVector.fromArray(F, x, off + c);
            DoubleVector.fromArray(D, acc, c).add(low(v)).intoArray(acc, c);
            DoubleVector.fromArray(D, acc, c + D.length()).add(high(v)).intoArray(acc, c + D.length());
        }
        for (; c < n; c++) acc[c] += x[off + c];
    }

    /** acc[c] += a[ao + c] * b[bo + c] (product in double) for c in [0, n). */
    static void addProductsTo(float[] a, int ao, float[] b, int bo, double[] acc, int n) {
        int c = 0;
        for (; c <= n - STEP; c += STEP) {
            FloatVector x = FloatVector.fromArray(F, a, ao + c), y = FloatVector.fromArray(F, b, bo + c);
            DoubleVector.fromArray(D, acc, c).add(low(x).mul(low(y))).intoArray(acc, c);
            DoubleVector.fromArray(D, acc, c + D.length()).add(high(x).mul(high(y))).intoArray(acc, c + D.length());
        }
        for (; c < n; c++) acc[c] += (double) a[ao + c] * b[bo + c];
    }

    /** sums[c] += x[off + c] - shift[c] and squares[c] += (x[off + c] - shift[c])² (in double) for c in [0, n). */
    static void addShiftedTo(float[] x, int off, double[] shift, double[] sums, double[] squares, int n) {
        int c = 0, d = D.length();
        for (; c <= n - STEP; c += STEP) {
            FloatVector v = FloatVector.fromArray(F, x, off + c);
            DoubleVector d0 = low(v).sub(DoubleVector.fromArray(D, shift, c));
            DoubleVector d1 = high(v).sub(DoubleVector.fromArray(D, shift, c + d));
            DoubleVector.fromArray(D, sums, c).add(d0).intoArray(sums, c);
            DoubleVector.fromArray(D, sums, c + d).add(d1).intoArray(sums, c + d);
            DoubleVector.fromArray(D, squares, c).add(d0.mul(d0)).intoArray(squares, c);
            DoubleVector.fromArray(D, squares, c + d).add(d1.mul(d1)).intoArray(squares, c + d);
        }
        for (; c < n; c++) {
            double dv = x[off + c] - shift[c];
            sums[c] += dv;
            squares[c] += dv * dv;
        }
    }
}
