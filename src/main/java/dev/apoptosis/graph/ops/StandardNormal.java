package dev.apoptosis.graph.ops;

/**
 * The standard normal density ϕ and distribution function Φ in double precision, for the exact
 * (erf) form of GELU. Java has no erf, so Φ is built from two expansions that need no tables:
 * <ul>
 * <li>|z| ≤ 3 (z = x/√2): erf(z) = (2/√π) e^{−z²} Σ_{n≥0} (2z²)ⁿ z / (1·3·5···(2n+1)). All terms
 *     are positive, so the sum has no cancellation; it stops once a term no longer changes it.</li>
 * <li>|z| &gt; 3: erfc(z) = (e^{−z²}/√π) / (z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …))))), the
 *     continued fraction (numerators k/2), evaluated from a fixed depth that is ample for z &gt; 3.</li>
 * </ul>
 * For x &lt; 0, Φ(x) = erfc(|x|/√2)/2 comes straight from the tail expansion where it is tiny, so
 * GELU's negative tail keeps its relative accuracy.
 */
final class StandardNormal {
    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_PI = 0.5641895835477563;
    private static final double SERIES_LIMIT = 3.0;
    private static final int FRACTION_DEPTH = 60;

    private StandardNormal() {}

    /** ϕ(x) = e^{−x²/2}/√(2π). */
    static double pdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Φ(x) = (1 + erf(x/√2))/2. */
    static double cdf(double x) {
        double z = Math.abs(x) * INV_SQRT_2;
        double upperTail = z <= SERIES_LIMIT ? 0.5 * (1.0 - erfSeries(z)) : 0.5 * erfcFraction(z);
        return x >= 0 ? 1.0 - upperTail : upperTail;
    }

    /** erf(z) for 0 ≤ z ≤ 3 by the all-positive series. */
    private static double erfSeries(double z) {
        double twoZ2 = 2 * z * z, term = z, sum = z;
        for (int n = 1; n < 200; n++) {
            term *= twoZ2 / (2 * n + 1);
            double next = sum + term;
            if (next == sum) break;
            sum = next;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-z * z) * sum;
    }

    /** erfc(z) for z &gt; 3 by the continued fraction, evaluated bottom-up. */
    private static double erfcFraction(double z) {
        if (z > 27) return 0.0; // e^{-z²} underflows double
        double f = z;
        for (int k = FRACTION_DEPTH; k >= 1; k--) f = z + 0.5 * k / f;
        return INV_SQRT_PI * Math.exp(-z * z) / f;
    }
}
