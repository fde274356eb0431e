package dev.apoptosis.tensor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread pool every kernel shares.
 *
 * <p>Its size defaults to the number of cores and is set by {@code --threads N} on the command line,
 * the environment variable {@code APOPTOSIS_THREADS} or the system property
 * {@code apoptosis.threads}: a whole number from 1 to {@link #maxThreads()} (more threads than that
 * only add start-up cost and contention; a bad setting is an error naming it, raised when the count
 * is first needed, not an {@code ExceptionInInitializerError}). Work is split into index ranges; the caller runs the first range itself.
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
    private static ExecutorService pool;
    /** The current pool's worker threads, in creation order (the pool starts them as work arrives). */
    private static java.util.List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
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
                workers = new java.util.concurrent.CopyOnWriteArrayList<>();
            }
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger id = new AtomicInteger();
            java.util.List<Thread> created = workers;
            ThreadFactory f = r -> {
                Thread t = new Thread(() -> {
                    INSIDE.set(true);
                    r.run();
                }, "apoptosis-kernel-" + id.incrementAndGet());
                t.setDaemon(true);
                created.add(t);
                return t;
            };
            pool = Executors.newFixedThreadPool(Math.max(1, threads() - 1), f);
        }
        return pool;
    }

    /**
     * Ids of the current pool's live worker threads (for per-thread CPU time in benchmarks); empty
     * before the pool first runs work, and after {@link #setThreads} changes the count until it runs again.
     */
    public static long[] workerThreadIds() {
        return workers.stream().filter(Thread::isAlive).mapToLong(Thread::getId).toArray();
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
        ExecutorService ex = pool();
        @SuppressWarnings("unchecked")
        Future<?>[] fs = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            final int lo = (int) ((long) n * p / parts);
            final int hi = (int) ((long) n * (p + 1) / parts);
            fs[p - 1] = ex.submit(() -> body.run(lo, hi));
        }
        Throwable failure = null;
        INSIDE.set(true);
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (Throwable e) {
            failure = e;
        } finally {
            INSIDE.set(false);
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new RuntimeException(failure);
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
