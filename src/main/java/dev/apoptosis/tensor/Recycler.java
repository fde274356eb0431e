package dev.apoptosis.tensor;

import java.util.Arrays;

/**
 * Storage that a finished pass gives back for the next one to write over, instead of new arrays.
 *
 * <p><b>Why.</b> A training step allocates its activations and adjoints afresh: about 220 MB per step
 * for a pruned ResNet-20 at batch 128, in arrays of up to 8 MB. The JVM zeroes every new array before
 * the op writes it again, and the garbage collector then reclaims it. In isolation (AMD EPYC Zen 4, one
 * thread) writing 8 MB into a new array took 0.79 ms, into a reused one 0.47; in a whole step reuse
 * made ResNet-20 training 1.03-1.05x faster at one thread and 1.08-1.33x at two, H·v passes up to
 * 1.15x, and the JVM's allocation 5x smaller (docs/performance.md, bench/RecyclingAB.java).
 *
 * <p><b>Contract.</b> {@link #take} hands out an array of exactly the asked length whose contents are
 * unspecified (recycled, or new): only for outputs that the caller writes in full
 * ({@link Tensor#uninitialized}). {@link #give} is for the owner of an array that nothing will read
 * again: the autodiff engine, when a pass is closed, for the activations and adjoints it made and
 * returned to no one. Only arrays of at least {@link #MIN_LENGTH} floats are kept (smaller ones are
 * cheap to allocate, and parameters and their gradients are mostly smaller), at most
 * {@link #capacityBytes} in all, the lengths least recently used dropped first ({@link ArrayPool}).
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
    public static final int MIN_LENGTH = Math.max(1, Integer.getInteger("apoptosis.recycleMinLength", 1 << 14));
    static final boolean POISON = Boolean.getBoolean("apoptosis.poisonRecycled");
    private static final long CAPACITY = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 8);
    private static final ArrayPool POOL = new ArrayPool(CAPACITY, MIN_LENGTH, POISON);
    /** {@code -Dapoptosis.recycle=false} turns recycling off (every take a new array, every give a no-op). */
    private static volatile boolean enabled = !"false".equals(System.getProperty("apoptosis.recycle"));

    private Recycler() {}

    /** An array of {@code length} floats with unspecified contents (NaN under poisoning). */
    public static float[] take(int length) {
        if (enabled) return POOL.take(length);
        float[] a = new float[length];
        if (POISON) Arrays.fill(a, Float.NaN);
        return a;
    }

    /** Gives back {@code a}, which nothing may read or write afterwards. */
    public static void give(float[] a) {
        if (enabled) POOL.give(a);
    }

    /**
     * Turns recycling on or off from here on: for benchmarks comparing the two in one process. What is
     * kept stays kept while off, for when it is turned on again ({@link #clear} drops it).
     */
    public static void enable(boolean on) {
        enabled = on;
    }

    /** The most bytes kept for reuse: 1 GiB, or an eighth of the maximum heap if that is less. */
    public static long capacityBytes() {
        return CAPACITY;
    }

    /** Bytes now kept for reuse. */
    public static long heldBytes() {
        return POOL.heldBytes();
    }

    /** {taken, reused}: arrays of at least {@link #MIN_LENGTH} asked of {@link #take}, and how many were recycled. */
    public static long[] counts() {
        return POOL.counts();
    }

    /** Drops every kept array (for tests and for callers that are done computing). */
    public static void clear() {
        POOL.clear();
    }
}
