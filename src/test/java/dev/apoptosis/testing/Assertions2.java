package dev.apoptosis.testing;

import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Assertions;

/** Tensor comparisons with a mixed tolerance |a - b| <= atol + rtol * |b|, reporting the worst index. */
public final class Assertions2 {
    private Assertions2() {}

    public static void assertClose(String what, double[] expected, float[] actual, int actualOff,
                                   double rtol, double atol) {
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[actualOff + i];
            double err = Math.abs(a - e), tol = atol + rtol * Math.abs(e);
            if (!(err <= tol) && (worst < 0 || err - tol > worstExcess || Double.isNaN(err))) {
                worst = i;
                worstExcess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err - tol;
            }
        }
        if (worst >= 0) {
            Assertions.fail(what + ": mismatch at flat index " + worst + " of " + expected.length + ": expected "
                    + expected[worst] + ", got " + actual[actualOff + worst] + " (rtol=" + rtol + ", atol=" + atol + ")");
        }
    }

    public static void assertClose(String what, Fixtures.Array expected, Tensor actual, double rtol, double atol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            Assertions.fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        assertClose(what, expected.values(), actual.data(), actual.offset(), rtol, atol);
    }

    public static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        if (!expected.sameShape(actual)) {
            Assertions.fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        double[] e = new double[expected.size()];
        for (int i = 0; i < e.length; i++) e[i] = expected.at(i);
        assertClose(what, e, actual.data(), actual.offset(), rtol, atol);
    }

    /** Bit-for-bit equality, for thread-count determinism tests. */
    public static void assertBitIdentical(String what, float[] a, float[] b) {
        Assertions.assertEquals(a.length, b.length, what + ": lengths");
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                Assertions.fail(what + ": differs at " + i + ": " + a[i] + " vs " + b[i]);
            }
        }
    }
}
