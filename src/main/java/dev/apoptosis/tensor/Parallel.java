package dev.apoptosis.tensor;

/**
 * The one thread pool every kernel shares.
 *
 * <p>Its size defaults to the number of cores and is set by {@code --threads N} on the command line,
 * the environment variable {@code APOPTOSIS_THREADS} or the system property
 * {@code apoptosis.threads}: a whole number from 1 to {@link #maxThreads()} (more threads than that
 * only add start-up cost and contention; a bad setting is an error naming it, raised when the count
 * is first needed, not an {@code ExceptionInInitializerError}). Work is split into index ranges; the caller runs the first range itself
 * and the others go to the workers of a {@link SpinPool}, which stay awake between the short kernel
 * calls of a step.
 * Calls made from inside a pool task run serially, so kernels may call kernels without deadlock.
 *
 * <p><b>Determinism contract.</b> Results must not depend on the thread count. Kernels therefore
 * only parallelise over independent outputs (each output element is computed by the same sequence of
 * operations whatever the split), and reductions use {@link #chunks} whose boundaries depend on the
 * problem size alone, combining partial results in chunk order.
 */
public final class Parallel {
    /** 0 until first needed: a bad environment setting must not break the loading of this class. */
    private static volatile int threads;
    private static volatile SpinPool pool;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private Parallel() {}

    /** A body over the index range {@code [lo, hi)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    private static int defaultThreads() {
        String p = System.getProperty("apoptosis.threads");
        String source = "system property apoptosis.threads";
        if (p == null || p.isBlank()) {
            p = System.getenv("APOPTOSIS_THREADS");
            source = "APOPTOSIS_THREADS";
        }
        if (p != null && !p.isBlank()) return parseThreads(p, source);
        return Runtime.getRuntime().availableProcessors();
    }

    /** The most threads a user may ask for: 4 per core, and at least 64. */
    public static int maxThreads() {
        return Math.max(64, 4 * Runtime.getRuntime().availableProcessors());
    }

    /** A thread count typed by a user ({@code source} names where, for the message), checked as described above. */
    public static int parseThreads(String text, String source) {
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " must be a whole number of threads, got '" + text + "'");
        }
        if (n < 1 || n > maxThreads()) {
            throw new IllegalArgumentException(source + " must be between 1 and " + maxThreads() + " (4 per core, at least 64), got " + n);
        }
        return n;
    }

    /** Number of threads kernels use; the first call reads the settings and reports a bad one. */
    public static int threads() {
        int t = threads;
        if (t == 0) {
            synchronized (Parallel.class) {
                if (threads == 0) threads = defaultThreads();
                t = threads;
            }
        }
        return t;
    }

    /** Sets the number of threads (at least 1); the pool is rebuilt lazily. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n != threads) {
            threads = n;
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
        }
    }

    /** The pool, built on first use; a volatile read on every kernel call, the lock only to build it. */
    private static SpinPool pool() {
        SpinPool p = pool;
        if (p != null) return p;
        synchronized (Parallel.class) {
            if (pool == null) pool = new SpinPool(threads());
            return pool;
        }
    }

    /** Marks the calling thread as running a pool task: its kernel calls run serially. */
    static void markInside() {
        INSIDE.set(true);
    }

    /** Ends {@link #markInside} on the calling thread. */
    static void clearInside() {
        INSIDE.set(false);
    }

    /**
     * Ids of the current pool's live worker threads (for per-thread CPU time in benchmarks); empty
     * before the pool first runs work, and after {@link #setThreads} changes the count until it runs again.
     */
    public static long[] workerThreadIds() {
        SpinPool p;
        synchronized (Parallel.class) {
            p = pool;
        }
        return p == null ? new long[0] : p.threads.stream().filter(Thread::isAlive).mapToLong(Thread::getId).toArray();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous ranges,
     * each at least {@code grain} long. Use only when each index's result is independent of the split.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int t = threads();
        int parts = Math.min(t, Math.max(1, n / Math.max(1, grain)));
        if (parts <= 1 || INSIDE.get()) {
            body.run(0, n);
            return;
        }
        // The pool is busy only with another caller's kernel: then this one runs on its own thread.
        if (!pool().run(n, parts, body)) body.run(0, n);
    }

    /** {@link #forRange} with grain 1. */
    public static void forRange(int n, RangeBody body) {
        forRange(n, 1, body);
    }

    /**
     * Number of fixed-size chunks of at most {@code chunk} elements covering {@code n}; chunk
     * boundaries depend on {@code n} and {@code chunk} only, never on the thread count, so
     * reductions that combine per-chunk partials in order are deterministic.
     */
    public static int chunks(int n, int chunk) {
        return (n + chunk - 1) / chunk;
    }
}
