package dev.apoptosis.tensor;

/** Scalar twins of {@link ReductionsVector}: plain loops with one float64 accumulator, in index order. */
final class ReductionsScalar {
    private ReductionsScalar() {}

    static double sum(float[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[off + i];
        return s;
    }

    static double dot(float[] a, int ao, float[] b, int bo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[ao + i] * b[bo + i];
        return s;
    }

    static double sumSquaredDeviations(float[] x, int off, int n, double center) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = x[off + i] - center;
            s += d * d;
        }
        return s;
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

    static void addSquaredDeviationsTo(float[] x, int off, double[] center, double[] acc, int n) {
        for (int c = 0; c < n; c++) {
            double d = x[off + c] - center[c];
            acc[c] += d * d;
        }
    }
}
