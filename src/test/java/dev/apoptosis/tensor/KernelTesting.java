package dev.apoptosis.tensor;

import java.util.Random;
import java.util.function.Supplier;

/** Shared helpers of the kernel tests: awkward sizes, random data, both code paths, thread counts. */
public final class KernelTesting {
    private KernelTesting() {}

    /** Sizes around every plausible vector width, primes and 1. */
    public static final int[] SIZES = {1, 3, 7, 15, 16, 17, 31, 33, 257, 1031};

    /** Runs {@code body} on the Vector API path and on the scalar path, restoring the previous setting. */
    public static void onBothPaths(java.util.function.Consumer<String> body) {
        boolean wasForced = Simd.available() && !Simd.enabled();
        try {
            for (boolean scalar : new boolean[] {false, true}) {
                Simd.setForceScalar(scalar);
                body.accept(scalar ? "scalar" : "vector");
            }
        } finally {
            Simd.setForceScalar(wasForced);
        }
    }

    /** Evaluates {@code body} with the given path forced, restoring the previous setting. */
    static <T> T onPath(boolean scalar, Supplier<T> body) {
        boolean wasForced = Simd.available() && !Simd.enabled();
        Simd.setForceScalar(scalar);
        try {
            return body.get();
        } finally {
            Simd.setForceScalar(wasForced);
        }
    }

    /** Evaluates {@code body} with {@code n} kernel threads, restoring the previous count. */
    public static <T> T withThreads(int n, Supplier<T> body) {
        int before = Parallel.threads();
        Parallel.setThreads(n);
        try {
            return body.get();
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** {@code n} normal values of standard deviation {@code std}. */
    public static float[] gaussian(Random rng, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * std);
        return a;
    }

    /** {@code n} values uniform in {@code [lo, hi)}. */
    public static float[] uniform(Random rng, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return a;
    }

    /** Values every activation must handle: zeros of both signs, tiny, huge, infinities, NaN, branch edges. */
    public static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-20f, -1e-20f,
        0.3535f, 0.5f, -0.5f, 0.55f, -0.55f, 0.7071f, 0.70710677f, 0.7071068f, -0.70710677f, 1f, -1f, 9f, -9f,
        14.3f, -14.3f, 20f, -20f, 44f, -44f, 88f, -88f, 89f, -89f, 104f, -104f, 200f, -200f, 1e30f, -1e30f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};

    /** True if both are NaN or they have the same bits. */
    public static boolean sameValue(float a, float b) {
        return (Float.isNaN(a) && Float.isNaN(b)) || Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
    }

    /** Fails naming {@code what} and the first index where the arrays differ (NaN matches NaN). */
    public static void assertSameValues(String what, float[] expected, float[] actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!sameValue(expected[i], actual[i])) {
                org.junit.jupiter.api.Assertions.fail(what + ": differs at " + i + ": expected " + expected[i]
                        + " got " + actual[i]);
            }
        }
    }
}
