package dev.apoptosis.tensor.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TanhKernelsTest {
    private final ActivationContract tanh = new ActivationContract(TanhKernels.TANH);

    @Test
    void valueAndDerivativesAreAccurate() {
        double u = tanh.worstUlps(TanhKernels.TANH::value, Math::tanh, -12f, 12f, 400_001);
        double u1 = tanh.worstUlps(TanhKernels.TANH::derivative, ReferenceMath::tanhD1, -50f, 50f, 400_001);
        double u2 = tanh.worstUlps(TanhKernels.TANH::secondDerivative, ReferenceMath::tanhD2, -50f, 50f, 400_001);
        assertTrue(u <= 3, "tanh worst " + u + " ulp");
        assertTrue(u1 <= 5, "tanh' worst " + u1 + " ulp");
        assertTrue(u2 <= 7, "tanh'' worst " + u2 + " ulp");
        assertEquals(1f, TanhKernels.TANH.value(Float.POSITIVE_INFINITY));
        assertEquals(-1f, TanhKernels.TANH.value(-100f));
        assertEquals(-0f, TanhKernels.TANH.value(-0f));
        assertEquals(1f, TanhKernels.TANH.derivative(0f));
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        tanh.derivativesMatchFiniteDifferences(Math::tanh, ReferenceMath::tanhD1, -10f, 10f, 1e-6, 1e-7);
    }

    @Test
    void kernelsMatchScalarFunctionsOnBothPaths() {
        tanh.kernelsMatchScalarFunctionsOnBothPaths();
        tanh.inPlaceForwardWorks();
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        tanh.oneAndTwoThreadsAreBitIdentical();
    }

    @Test
    void tensorOverloadsCheckShapes() {
        tanh.tensorOverloadsCheckShapes();
    }
}
