package dev.apoptosis.tensor.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The test oracle itself against 20-digit values computed with mpmath (mp.erf, mp.erfc). */
class ReferenceMathTest {
    private static final double[][] ERF_ERFC = {
        {0.1, 0.1124629160182848922, 0.8875370839817151078},
        {0.5, 0.52049987781304653768, 0.47950012218695346232},
        {1, 0.84270079294971486934, 0.15729920705028513066},
        {2, 0.99532226501895273416, 0.0046777349810472658379},
        {2.5, 0.99959304798255504106, 0.00040695201744495893956},
        {3, 0.99997790950300141456, 0.000022090496998585441373},
        {5, 0.99999999999846254021, 1.5374597944280348502e-12},
        {9, 1.0, 4.1370317465138102381e-37},
        {10, 1.0, 2.088487583762544757e-45},
    };

    @Test
    void erfAndErfcMatchHighPrecisionValues() {
        for (double[] row : ERF_ERFC) {
            assertEquals(row[1], ReferenceMath.erf(row[0]), 1e-15, "erf(" + row[0] + ")");
            assertEquals(-row[1], ReferenceMath.erf(-row[0]), 1e-15, "erf(-" + row[0] + ")");
            assertEquals(row[2], ReferenceMath.erfc(row[0]), 1e-13 * row[2], "erfc(" + row[0] + ")");
            assertEquals(2 - row[2], ReferenceMath.erfc(-row[0]), 1e-15, "erfc(-" + row[0] + ")");
        }
    }

    @Test
    void seriesAndContinuedFractionAgreeWhereTheyMeet() {
        // Both methods are valid around the switch at 2.5 and must agree there (1 - series loses
        // about 4 digits to cancellation by x = 3, far below the float tolerances they judge).
        for (double x = 2.0; x < 3.0; x += 0.01) {
            double cf = ReferenceMath.erfcFraction(x);
            double series = 1 - ReferenceMath.erfSeries(x);
            assertEquals(cf, series, 1e-9 * cf, "x=" + x);
        }
    }
}
