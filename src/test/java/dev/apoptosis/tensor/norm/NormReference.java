package dev.apoptosis.tensor.norm;

/** Double-precision BatchNorm and LayerNorm forward passes, the oracle of the norm kernel tests. */
final class NormReference {
    private NormReference() {}

    /** y of train-mode BatchNorm over [outer, channels, inner]; gamma/beta may be null. */
    static double[] batchNorm(double[] x, int outer, int channels, int inner, double eps, double[] gamma, double[] beta) {
        double[] y = new double[x.length];
        double m = (double) outer * inner;
        for (int c = 0; c < channels; c++) {
            double mu = 0, var = 0;
            for (int o = 0; o < outer; o++) for (int i = 0; i < inner; i++) mu += x[(o * channels + c) * inner + i];
            mu /= m;
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double d = x[(o * channels + c) * inner + i] - mu;
                    var += d * d;
                }
            }
            var /= m;
            double is = 1 / Math.sqrt(var + eps);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int k = (o * channels + c) * inner + i;
                    double h = (x[k] - mu) * is;
                    y[k] = (gamma == null ? 1 : gamma[c]) * h + (beta == null ? 0 : beta[c]);
                }
            }
        }
        return y;
    }

    /** y of LayerNorm over the last dimension of [rows, cols]; gamma/beta may be null. */
    static double[] layerNorm(double[] x, int rows, int cols, double eps, double[] gamma, double[] beta) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double mu = 0, var = 0;
            for (int j = 0; j < cols; j++) mu += x[r * cols + j];
            mu /= cols;
            for (int j = 0; j < cols; j++) {
                double d = x[r * cols + j] - mu;
                var += d * d;
            }
            var /= cols;
            double is = 1 / Math.sqrt(var + eps);
            for (int j = 0; j < cols; j++) {
                double h = (x[r * cols + j] - mu) * is;
                y[r * cols + j] = (gamma == null ? 1 : gamma[j]) * h + (beta == null ? 0 : beta[j]);
            }
        }
        return y;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
