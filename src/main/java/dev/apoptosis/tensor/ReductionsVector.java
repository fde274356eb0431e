package dev.apoptosis.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link ReductionsScalar}, accumulating in float64 lanes: each step loads
 * half a vector of floats and widens it exactly to a full vector of doubles. Lane partial sums
 * are folded in lane order (never {@code reduceLanes}, whose order is unspecified), so a result
 * depends only on the input and its length. Sums are rounded in a different order than the
 * scalar twins, so the two paths agree to float64 rounding, not bit for bit.
 */
final class ReductionsVector {
    private ReductionsVector() {}

    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats that widen to exactly one {@link #D} vector. */
    static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final VectorSpecies<Float> F = FloatMathVector.F;

    static double sum(float[] x, int off, int n) {
        int step = FH.length();
        DoubleVector a0 = DoubleVector.zero(D), a1 = DoubleVector.zero(D);
        int i = 0;
        for (; i <= n - 2 * step; i += 2 * step) {
            a0 = a0.add((DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(VectorOperators.F2D, D, 0));
            a1 = a1.add((DoubleVector) FloatVector.fromArray(FH, x, off + i + step).convertShape(VectorOperators.F2D, D, 0));
        }
        if (i <= n - step) {
            a0 = a0.add((DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(VectorOperators.F2D, D, 0));
            i += step;
        }
        a0 = a0.add(a1);
        double s = 0;
        for (int l = 0; l < step; l++) s += a0.lane(l);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    static double dot(float[] a, int ao, float[] b, int bo, int n) {
        int step = FH.length();
        DoubleVector a0 = DoubleVector.zero(D), a1 = DoubleVector.zero(D);
        int i = 0;
        for (; i <= n - 2 * step; i += 2 * step) {
            DoubleVector x0 = (DoubleVector) FloatVector.fromArray(FH, a, ao + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector y0 = (DoubleVector) FloatVector.fromArray(FH, b, bo + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector x1 = (DoubleVector) FloatVector.fromArray(FH, a, ao + i + step).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector y1 = (DoubleVector) FloatVector.fromArray(FH, b, bo + i + step).convertShape(VectorOperators.F2D, D, 0);
            a0 = a0.add(x0.mul(y0));
            a1 = a1.add(x1.mul(y1));
        }
        if (i <= n - step) {
            DoubleVector x0 = (DoubleVector) FloatVector.fromArray(FH, a, ao + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector y0 = (DoubleVector) FloatVector.fromArray(FH, b, bo + i).convertShape(VectorOperators.F2D, D, 0);
            a0 = a0.add(x0.mul(y0));
            i += step;
        }
        a0 = a0.add(a1);
        double s = 0;
        for (int l = 0; l < step; l++) s += a0.lane(l);
        for (; i < n; i++) s += (double) a[ao + i] * b[bo + i];
        return s;
    }

    /** Σ (x - center)², with the difference and square taken in double. */
    static double sumSquaredDeviations(float[] x, int off, int n, double center) {
        int step = FH.length();
        DoubleVector a0 = DoubleVector.zero(D), a1 = DoubleVector.zero(D);
        int i = 0;
        for (; i <= n - 2 * step; i += 2 * step) {
            DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(VectorOperators.F2D, D, 0)).sub(center);
            DoubleVector d1 = ((DoubleVector) FloatVector.fromArray(FH, x, off + i + step).convertShape(VectorOperators.F2D, D, 0)).sub(center);
            a0 = a0.add(d0.mul(d0));
            a1 = a1.add(d1.mul(d1));
        }
        if (i <= n - step) {
            DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(VectorOperators.F2D, D, 0)).sub(center);
            a0 = a0.add(d0.mul(d0));
            i += step;
        }
        a0 = a0.add(a1);
        double s = 0;
        for (int l = 0; l < step; l++) s += a0.lane(l);
        for (; i < n; i++) {
            double d = x[off + i] - center;
            s += d * d;
        }
        return s;
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
        int step = FH.length();
        int c = 0;
        for (; c <= n - step; c += step) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, off + c).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector.fromArray(D, acc, c).add(v).intoArray(acc, c);
        }
        for (; c < n; c++) acc[c] += x[off + c];
    }

    /** acc[c] += a[ao + c] * b[bo + c] (product in double) for c in [0, n). */
    static void addProductsTo(float[] a, int ao, float[] b, int bo, double[] acc, int n) {
        int step = FH.length();
        int c = 0;
        for (; c <= n - step; c += step) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(FH, a, ao + c).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector y = (DoubleVector) FloatVector.fromArray(FH, b, bo + c).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector.fromArray(D, acc, c).add(x.mul(y)).intoArray(acc, c);
        }
        for (; c < n; c++) acc[c] += (double) a[ao + c] * b[bo + c];
    }

    /** acc[c] += (x[off + c] - center[c])² (in double) for c in [0, n). */
    static void addSquaredDeviationsTo(float[] x, int off, double[] center, double[] acc, int n) {
        int step = FH.length();
        int c = 0;
        for (; c <= n - step; c += step) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, off + c).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector d = v.sub(DoubleVector.fromArray(D, center, c));
            DoubleVector.fromArray(D, acc, c).add(d.mul(d)).intoArray(acc, c);
        }
        for (; c < n; c++) {
            double d = x[off + c] - center[c];
            acc[c] += d * d;
        }
    }
}
