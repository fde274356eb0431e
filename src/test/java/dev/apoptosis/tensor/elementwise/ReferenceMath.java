package dev.apoptosis.tensor.elementwise;

/**
 * Double-precision reference functions for the kernel tests, independent of the code under test:
 * erf by its all-positive series {@code erf x = 2/√π e^(-x²) Σ 2ⁿ x^(2n+1) / (1·3···(2n+1))}
 * (no cancellation), erfc by the Laplace continued fraction for x ≥ 2.5, and the activation
 * functions and their analytic derivatives built on them. Checked against 20-digit mpmath values
 * in {@code ReferenceMathTest}.
 */
final class ReferenceMath {
    private ReferenceMath() {}

    static final double SQRT2 = Math.sqrt(2);
    static final double SQRT_PI = Math.sqrt(Math.PI);

    static double erf(double x) {
        double a = Math.abs(x);
        double r = a < 2.5 ? erfSeries(a) : 1 - erfcFraction(a);
        return Math.copySign(r, x);
    }

    static double erfc(double x) {
        if (x < 0) return 2 - erfc(-x);
        return x < 2.5 ? 1 - erfSeries(x) : erfcFraction(x);
    }

    static double erfSeries(double a) {
        double term = a, sum = a;
        for (int n = 1; n < 200; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
            if (term < 1e-18 * sum) break;
        }
        return 2 / SQRT_PI * Math.exp(-a * a) * sum;
    }

    /** erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom-up. */
    static double erfcFraction(double x) {
        double f = x;
        for (int n = 300; n >= 1; n--) f = x + (n / 2.0) / f;
        return Math.exp(-x * x) / SQRT_PI / f;
    }

    /** Standard normal CDF. */
    static double phiCdf(double x) {
        return 0.5 * erfc(-x / SQRT2);
    }

    /** Standard normal density. */
    static double phiPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    static double gelu(double x) {
        return x * phiCdf(x);
    }

    static double geluD1(double x) {
        return phiCdf(x) + x * phiPdf(x);
    }

    static double geluD2(double x) {
        return phiPdf(x) * (2 - x * x);
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double silu(double x) {
        return x * sigmoid(x);
    }

    static double siluD1(double x) {
        double s = sigmoid(x);
        return s * (1 + x * sigmoid(-x));
    }

    static double siluD2(double x) {
        double s = sigmoid(x), sc = sigmoid(-x);
        return s * sc * (2 + x * (sc - s));
    }

    static double tanhD1(double x) {
        double c = Math.cosh(x);
        return 1 / (c * c);
    }

    static double tanhD2(double x) {
        return -2 * Math.tanh(x) * tanhD1(x);
    }

    /** Error of a float result in units of the float ulp of the exact value (0 if both are 0). */
    static double ulpError(float actual, double exact) {
        if (actual == exact) return 0;
        float e = (float) exact;
        return Math.abs(actual - exact) / Math.ulp(Math.max(Math.abs(e), Float.MIN_NORMAL));
    }

    /** Central finite difference of f at x with step h. */
    static double centralDifference(java.util.function.DoubleUnaryOperator f, double x, double h) {
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    }
}
