package dev.apoptosis.tensor.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Simd;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of FloatMath against the double references (Math.exp and ReferenceMath's erf/erfc),
 * in float ulps of the exact value where it is a normal float and in absolute subnormal steps
 * below; and bit-identity of the Vector API twins.
 */
class FloatMathTest {
    /** Worst error found over a dense grid plus random points in [lo, hi]. */
    private static double worstUlps(DoubleUnaryOperator exact, java.util.function.Function<Float, Float> actual,
                                    float lo, float hi, int grid) {
        double worst = 0;
        Random rng = new Random(11);
        for (int i = 0; i <= 2 * grid; i++) {
            float x = i <= grid ? lo + (hi - lo) * i / grid : lo + (hi - lo) * rng.nextFloat();
            double e = exact.applyAsDouble(x);
            float a = actual.apply(x);
            if (Math.abs(e) < Float.MIN_NORMAL) {
                assertTrue(Math.abs(a - e) <= 2 * Float.MIN_VALUE, "subnormal result at x=" + x + ": " + a + " vs " + e);
                continue;
            }
            double u = ReferenceMath.ulpError(a, e);
            if (!(u <= worst)) worst = u;
            if (Double.isNaN(u)) throw new AssertionError("NaN at x=" + x);
        }
        return worst;
    }

    @Test
    void expIsWithinOneAndAHalfUlpsOverItsWholeRange() {
        double u = worstUlps(Math::exp, FloatMath::exp, -104f, 88.7f, 200_000);
        assertTrue(u <= 1.5, "exp worst error " + u + " ulp");
        assertTrue(worstUlps(Math::exp, FloatMath::exp, -1f, 1f, 20_000) <= 1.5);
    }

    @Test
    void expEdgeCases() {
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals(1f, FloatMath.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FloatMath.exp(-200f));
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
        assertEquals((float) Math.exp(88.72f), FloatMath.exp(88.72f), Math.ulp((float) Math.exp(88.72f)));
        // Gradual underflow: e^-100 is a subnormal float, not flushed to zero.
        assertEquals(Math.exp(-100), FloatMath.exp(-100f), 2 * Float.MIN_VALUE);
        assertTrue(FloatMath.exp(-100f) > 0);
    }

    @Test
    void erfIsWithinFourUlps() {
        double small = worstUlps(ReferenceMath::erf, FloatMath::erf, -0.5f, 0.5f, 50_000);
        double wide = worstUlps(ReferenceMath::erf, FloatMath::erf, -6f, 6f, 100_000);
        double tiny = worstUlps(ReferenceMath::erf, FloatMath::erf, -1e-6f, 1e-6f, 10_000);
        assertTrue(small <= 2.5, "erf on [-0.5, 0.5]: " + small + " ulp");
        assertTrue(wide <= 3, "erf on [-6, 6]: " + wide + " ulp");
        assertTrue(tiny <= 1, "erf near 0: " + tiny + " ulp");
        assertEquals(1f, FloatMath.erf(10f));
        assertEquals(-1f, FloatMath.erf(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FloatMath.erf(0f));
    }

    @Test
    void erfcKeepsRelativeAccuracyDeepIntoTheTail() {
        double u = worstUlps(ReferenceMath::erfc, FloatMath::erfc, -6f, 10.1f, 200_000);
        assertTrue(u <= 5, "erfc on [-6, 10.1]: " + u + " ulp");
        assertEquals(0f, FloatMath.erfc(11f));
        assertEquals(0f, FloatMath.erfc(Float.POSITIVE_INFINITY));
        assertEquals(2f, FloatMath.erfc(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(FloatMath.erfc(Float.NaN)));
        assertTrue(Float.isNaN(FloatMath.erf(Float.NaN)));
    }

    @Test
    void vectorExpIsBitIdenticalToScalar() {
        Random rng = new Random(5);
        int n = 4099;
        float[] x = KernelTesting.uniform(rng, n, -110, 95);
        System.arraycopy(KernelTesting.SPECIAL, 0, x, 0, KernelTesting.SPECIAL.length);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = FloatMath.exp(x[i]);
        if (!Simd.available()) return;
        float[] actual = new float[n];
        FloatMathVector.exp(x, 0, actual, 0, n);
        KernelTesting.assertSameValues("exp", expected, actual);
    }
}
