package dev.apoptosis.tensor.reduce;

/** Scalar twins of {@link ReductionsVector}: plain loops with one float64 accumulator, in index order. */
final class ReductionsScalar {
    private ReductionsScalar() {}

    static double sum(float[] x, int off, int n) {
        return sumSegments(x, off, n, 1, 0);
    }

    static double dot(float[] a, int ao, float[] b, int bo, int n) {
        return dotSegments(a, ao, b, bo, n, 1, 0);
    }

    static double sumSquaredDeviations(float[] x, int off, int n, double center) {
        return squaredDeviationSegments(x, off, n, 1, 0, center);
    }

    /** Segment forms as {@link ReductionsVector}'s: {@code count} segments of n values, {@code stride} apart. */
    static double sumSegments(float[] x, int off, int n, int count, int stride) {
        double s = 0;
        for (int k = 0; k < count; k++) {
            int base = off + k * stride;
            for (int i = 0; i < n; i++) s += x[base + i];
        }
        return s;
    }

    static double dotSegments(float[] a, int ao, float[] b, int bo, int n, int count, int stride) {
        double s = 0;
        for (int k = 0; k < count; k++) {
            int pa = ao + k * stride, pb = bo + k * stride;
            for (int i = 0; i < n; i++) s += (double) a[pa + i] * b[pb + i];
        }
        return s;
    }

    static double squaredDeviationSegments(float[] x, int off, int n, int count, int stride, double center) {
        double s = 0;
        for (int k = 0; k < count; k++) {
            int base = off + k * stride;
            for (int i = 0; i < n; i++) {
                double d = x[base + i] - center;
                s += d * d;
            }
        }
        return s;
    }

    // Step forms, as ReductionsVector's: a running per-channel sum pair kept in state[at], state[at + 1].

    static final int STATE = 2;

    static void sumStep(float[] x, int p, int n, double[] st, int at) {
        double s = st[at];
        for (int i = 0; i < n; i++) s += x[p + i];
        st[at] = s;
    }

    static void dotStep(float[] a, int pa, float[] b, int pb, int n, double[] st, int at) {
        double s = st[at];
        for (int i = 0; i < n; i++) s += (double) a[pa + i] * b[pb + i];
        st[at] = s;
    }

    static void shiftedSumsStep(float[] x, int p, int n, double shift, double[] st, int at) {
        double s = st[at], q = st[at + 1];
        for (int i = 0; i < n; i++) {
            double d = x[p + i] - shift;
            s += d;
            q += d * d;
        }
        st[at] = s;
        st[at + 1] = q;
    }

    static void sumAndDotStep(float[] a, int pa, float[] b, int pb, int n, double[] st, int at) {
        double s = st[at], d = st[at + 1];
        for (int i = 0; i < n; i++) {
            s += a[pa + i];
            d += (double) a[pa + i] * b[pb + i];
        }
        st[at] = s;
        st[at + 1] = d;
    }

    static float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    static void addTo(float[] x, int off, double[] acc, int n) {
        for (int c = 0; c < n; c++) acc[c] += x[off + c];
    }

    static void addProductsTo(float[] a, int ao, float[] b, int bo, double[] acc, int n) {
        for (int c = 0; c < n; c++) acc[c] += (double) a[ao + c] * b[bo + c];
    }

    static void addShiftedTo(float[] x, int off, double[] shift, double[] sums, double[] squares, int n) {
        for (int c = 0; c < n; c++) {
            double d = x[off + c] - shift[c];
            sums[c] += d;
            squares[c] += d * d;
        }
    }
}
