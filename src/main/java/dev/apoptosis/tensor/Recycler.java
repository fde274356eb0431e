package dev.apoptosis.tensor;

/**
 * Storage that a finished pass gives back for the next one to write over, instead of new arrays.
 *
 * <p><b>Why.</b> A training step allocates its activations and adjoints afresh: about 220 MB per step
 * for a pruned ResNet-20 at batch 128, in arrays of up to 8 MB. The JVM zeroes every new array before
 * the op writes it again, and the garbage collector then reclaims it. Reuse made ResNet-20 training
 * 1.03-1.05x faster at one thread and 1.08-1.33x at two, H·v passes up to 1.15x, and the JVM's
 * allocation 5x smaller (AMD EPYC Zen 4; docs/performance.md, bench/RecyclingAB.java).
 *
 * <p><b>Contract.</b> {@link #take} hands out an array of exactly the asked length whose contents are
 * unspecified (recycled, or new): only for outputs that the caller writes in full
 * ({@link Tensor#uninitialized}). {@link #give} is for the owner of an array that nothing will read
 * again: the autodiff engine, when a pass is closed, for the activations and adjoints it made and
 * returned to no one; and a rule, for a temporary it made and showed to no one (Conv2d's and Linear's
 * x + ẋ when the direction is the weights themselves). Only arrays of at least {@link #MIN_LENGTH} floats are kept (smaller ones are
 * cheap to allocate, and parameters and their gradients are mostly smaller), at most
 * min(1 GiB, max heap / 8) in all, the lengths least recently used dropped first ({@link ArrayPool}).
 *
 * <p><b>Checking.</b> With {@code -Dapoptosis.poisonRecycled=true} (the test suite's setting) every
 * array given back is filled with NaN, and so is every array handed out: a value read after its
 * storage was given back, or an output element its kernel did not write, then shows as a NaN in a
 * result instead of a plausible stale number.
 */
public final class Recycler {
    /**
     * Arrays shorter than this (16 Ki floats, 64 KiB; {@code -Dapoptosis.recycleMinLength=N} sets it, the
     * test suite to 1 so that its small models exercise recycling too) are neither kept nor recycled.
     */
    public static final int MIN_LENGTH = Math.max(1, intProperty("apoptosis.recycleMinLength", 1 << 14));
    static final boolean POISON = booleanProperty("apoptosis.poisonRecycled", false);
    private static final long CAPACITY = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 8);
    private static final ArrayPool POOL = new ArrayPool(CAPACITY, MIN_LENGTH, POISON);
    /** What {@link #take} and {@link #give} use while recycling is off: keeps nothing, poisons alike. */
    private static final ArrayPool OFF = new ArrayPool(0, Integer.MAX_VALUE, POISON);
    /** {@code -Dapoptosis.recycle=false} turns recycling off (every take a new array, every give a no-op). */
    private static volatile boolean enabled = booleanProperty("apoptosis.recycle", true);

    private Recycler() {}

    /** An array of {@code length} floats with unspecified contents (NaN under poisoning). */
    public static float[] take(int length) {
        return (enabled ? POOL : OFF).take(length);
    }

    /** Gives back {@code a}, which nothing may read or write afterwards. */
    public static void give(float[] a) {
        (enabled ? POOL : OFF).give(a);
    }

    /**
     * Turns recycling on or off from here on: for benchmarks comparing the two in one process. What is
     * kept stays kept while off, for when it is turned on again ({@link #clear} drops it).
     */
    public static void enable(boolean on) {
        enabled = on;
    }

    /** {taken, reused}: arrays of at least {@link #MIN_LENGTH} asked of {@link #take}, and how many were recycled. */
    public static long[] counts() {
        return POOL.counts();
    }

    /** A -D option's value, true or false; anything else is an error naming the option, not a silent default. */
    private static boolean booleanProperty(String name, boolean fallback) {
        String v = System.getProperty(name);
        if (v == null) return fallback;
        if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
        throw new IllegalArgumentException("-D" + name + " must be true or false, got '" + v + "'");
    }

    private static int intProperty(String name, int fallback) {
        String v = System.getProperty(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be a whole number, got '" + v + "'", e);
        }
    }

    /** Drops every kept array (for tests and for callers that are done computing). */
    public static void clear() {
        POOL.clear();
    }
}
