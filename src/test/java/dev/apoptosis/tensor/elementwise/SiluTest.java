package dev.apoptosis.tensor.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SiluTest {
    private final ActivationContract silu = new ActivationContract(Silu.SILU);

    @Test
    void valueAndSigmoidAreAccurate() {
        // Relative accuracy while σ(x) is a normal float (x > -87); deeper σ is subnormal.
        double u = silu.worstUlps(Silu.SILU::value, ReferenceMath::silu, -87f, 100f, 400_001);
        double s = silu.worstUlps(Silu::sigmoid, ReferenceMath::sigmoid, -110f, 100f, 400_001);
        for (float x = -110f; x < -87f; x += 1e-3f) {
            assertEquals(ReferenceMath.silu(x), Silu.SILU.value(x), 32 * Float.MIN_VALUE * -x, "x=" + x);
        }
        assertTrue(u <= 4, "silu worst " + u + " ulp");
        assertTrue(s <= 3, "sigmoid worst " + s + " ulp");
        assertEquals(0f, Silu.SILU.value(0f));
        assertEquals(0.5f, Silu.sigmoid(0f));
        assertEquals(1f, Silu.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, Silu.sigmoid(Float.NEGATIVE_INFINITY));
    }

    @Test
    void derivativesAreAccurate() {
        for (float x = -60f; x <= 60f; x += 0.001f) {
            assertEquals(ReferenceMath.siluD1(x), Silu.SILU.derivative(x), 4e-7 * Math.abs(ReferenceMath.siluD1(x)) + 6e-8, "x=" + x);
            assertEquals(ReferenceMath.siluD2(x), Silu.SILU.secondDerivative(x), 4e-7 * Math.abs(ReferenceMath.siluD2(x)) + 6e-8, "x=" + x);
        }
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        silu.derivativesMatchFiniteDifferences(ReferenceMath::silu, ReferenceMath::siluD1, -12f, 12f, 1e-6, 1e-7);
    }

    @Test
    void kernelsMatchScalarFunctionsOnBothPaths() {
        silu.kernelsMatchScalarFunctionsOnBothPaths();
        silu.inPlaceForwardWorks();
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        silu.oneAndTwoThreadsAreBitIdentical();
    }

    @Test
    void tensorOverloadsCheckShapes() {
        silu.tensorOverloadsCheckShapes();
    }
}
