package dev.apoptosis.tensor.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeluTest {
    private final ActivationContract gelu = new ActivationContract(Gelu.GELU);

    @Test
    void valueIsAccurateIncludingTheNegativeTail() {
        // Relative accuracy holds while Φ(x) is a normal float (x > -12.9); deeper, Φ is subnormal.
        double u = gelu.worstUlps(Gelu.GELU::value, ReferenceMath::gelu, -12.9f, 10f, 400_001);
        assertTrue(u <= 7, "gelu worst " + u + " ulp");
        for (float x = -15f; x < -12.9f; x += 1e-4f) {
            assertEquals(ReferenceMath.gelu(x), Gelu.GELU.value(x), 32 * Float.MIN_VALUE * -x, "x=" + x);
        }
        assertEquals(0f, Gelu.GELU.value(0f));
        assertEquals(1e30f, Gelu.GELU.value(1e30f));
        assertEquals(-0f, Gelu.GELU.value(-20f));
    }

    @Test
    void derivativesAreAccurate() {
        // Away from their roots the derivatives are accurate in relative terms; near the roots the
        // absolute error is bounded by the size of the cancelling terms (Φ and xϕ are below 1).
        double u1 = gelu.worstUlps(Gelu.GELU::derivative, ReferenceMath::geluD1, 0f, 10f, 100_001);
        double u2 = gelu.worstUlps(Gelu.GELU::secondDerivative, ReferenceMath::geluD2, -1.3f, 1.3f, 100_001);
        assertTrue(u1 <= 8, "gelu' on [0, 10]: " + u1 + " ulp");
        assertTrue(u2 <= 8, "gelu'' on [-1.3, 1.3]: " + u2 + " ulp");
        for (float x = -13f; x <= 10f; x += 0.001f) {
            assertEquals(ReferenceMath.geluD1(x), Gelu.GELU.derivative(x), 4e-7 * Math.abs(ReferenceMath.geluD1(x)) + 6e-8, "x=" + x);
            assertEquals(ReferenceMath.geluD2(x), Gelu.GELU.secondDerivative(x), 4e-7 * Math.abs(ReferenceMath.geluD2(x)) + 6e-8, "x=" + x);
        }
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        gelu.derivativesMatchFiniteDifferences(ReferenceMath::gelu, ReferenceMath::geluD1, -8f, 8f, 1e-6, 1e-7);
    }

    @Test
    void kernelsMatchScalarFunctionsOnBothPaths() {
        gelu.kernelsMatchScalarFunctionsOnBothPaths();
        gelu.inPlaceForwardWorks();
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        gelu.oneAndTwoThreadsAreBitIdentical();
    }

    @Test
    void tensorOverloadsCheckShapes() {
        gelu.tensorOverloadsCheckShapes();
    }
}
