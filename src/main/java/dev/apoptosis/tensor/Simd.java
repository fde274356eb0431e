package dev.apoptosis.tensor;

/**
 * Chooses between the Vector API kernels and their scalar fallbacks.
 *
 * <p>Every vector kernel has a scalar twin computing the same thing with plain loops. The scalar
 * path runs when the {@code jdk.incubator.vector} module is absent, when the system property
 * {@code apoptosis.scalar=true} is set, or when a test switches it on with {@link #setForceScalar}.
 * Kernels must read {@link #enabled()} on each call (not cache it) so tests can exercise both.
 */
public final class Simd {
    private static final boolean AVAILABLE = probe();
    private static volatile boolean forceScalar = Boolean.getBoolean("apoptosis.scalar");

    private Simd() {}

    private static boolean probe() {
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** True if vector kernels should run now. */
    public static boolean enabled() {
        return AVAILABLE && !forceScalar;
    }

    /** True if the Vector API module is present in this JVM. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Forces (or stops forcing) the scalar fallbacks; for tests and comparisons. */
    public static void setForceScalar(boolean force) {
        forceScalar = force;
    }
}
