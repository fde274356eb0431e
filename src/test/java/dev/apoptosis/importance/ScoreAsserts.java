package dev.apoptosis.importance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;

/** Comparisons of per-parameter score arrays. */
final class ScoreAsserts {
    private ScoreAsserts() {}

    /**
     * |actual − expected| ≤ rtol·|expected| + atolOfMax·max|expected| element by element, where the max
     * runs over every array of {@code expected} (some entries are zero in exact arithmetic and hold
     * only float32 rounding in the engine's products).
     */
    static void assertClose(String what, Map<String, double[]> expected, Map<String, double[]> actual, double rtol, double atolOfMax) {
        if (!expected.keySet().equals(actual.keySet())) fail(what + ": parameters " + actual.keySet() + ", expected " + expected.keySet());
        double max = 0;
        for (double[] e : expected.values()) for (double x : e) max = Math.max(max, Math.abs(x));
        for (Map.Entry<String, double[]> en : expected.entrySet()) {
            double[] e = en.getValue(), a = actual.get(en.getKey());
            if (a.length != e.length) fail(what + ": " + en.getKey() + " has " + a.length + " entries, expected " + e.length);
            for (int i = 0; i < e.length; i++) {
                double tol = rtol * Math.abs(e[i]) + atolOfMax * max;
                if (!(Math.abs(a[i] - e[i]) <= tol)) {
                    fail(what + ": " + en.getKey() + "[" + i + "] = " + a[i] + ", expected " + e[i] + " (tolerance " + tol
                            + ", largest expected value " + max + ")");
                }
            }
        }
    }

    /** ‖a − b‖ / ‖b‖ over all arrays. */
    static double relativeDifference(Map<String, double[]> a, Map<String, double[]> b) {
        double num = 0, den = 0;
        for (Map.Entry<String, double[]> e : b.entrySet()) {
            double[] x = a.get(e.getKey()), y = e.getValue();
            for (int i = 0; i < y.length; i++) {
                num += (x[i] - y[i]) * (x[i] - y[i]);
                den += y[i] * y[i];
            }
        }
        return Math.sqrt(num / den);
    }

    /** The means of every parameter of {@code s}. */
    static Map<String, double[]> means(Scores s) {
        Map<String, double[]> m = new java.util.LinkedHashMap<>();
        for (String n : s.names()) m.put(n, s.mean(n));
        return m;
    }
}
