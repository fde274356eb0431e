package dev.apoptosis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time spent by the thread that runs a pass plus the kernel pool's workers
 * ({@link dev.apoptosis.tensor.Parallel#workerThreadIds}), in nanoseconds.
 *
 * <p>On a shared machine wall time includes the time our threads wait for a core; their CPU time
 * does not, so the two side by side tell contention from work. GC and JIT threads are not counted.
 * Only differences of {@link #now} mean anything. Call {@link #refreshWorkers} after the pool has
 * been (re)built and used, since it asks the pool for its workers when it is called.
 */
final class KernelCpuClock {
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final boolean available;
    private long[] workerIds = new long[0];
    /** Each worker's last CPU reading: a worker of a pool being shut down may end between two readings. */
    private long[] lastKnown = new long[0];
    private long workersAtLastReading;

    KernelCpuClock() {
        boolean ok = mx.isThreadCpuTimeSupported();
        if (ok && !mx.isThreadCpuTimeEnabled()) {
            try {
                mx.setThreadCpuTimeEnabled(true);
            } catch (UnsupportedOperationException | SecurityException e) {
                ok = false;
            }
        }
        available = ok;
    }

    /** False if the JVM cannot measure thread CPU time; {@link #now} then always returns 0. */
    boolean available() {
        return available;
    }

    /** Takes the kernel pool's live worker threads as the ones to measure. */
    void refreshWorkers() {
        workerIds = dev.apoptosis.tensor.Parallel.workerThreadIds();
        lastKnown = new long[workerIds.length];
    }

    /**
     * The current thread's CPU time plus every known worker's; a worker that has ended since
     * {@link #refreshWorkers} keeps counting its last reading, so differences are never negative.
     */
    long now() {
        if (!available) return 0;
        long workers = 0;
        for (int i = 0; i < workerIds.length; i++) {
            long w = mx.getThreadCpuTime(workerIds[i]);
            if (w >= 0) lastKnown[i] = w;
            workers += lastKnown[i];
        }
        workersAtLastReading = workers;
        return mx.getCurrentThreadCpuTime() + workers;
    }

    /**
     * The workers' part of the last {@link #now} reading. The share of CPU time spent in workers shows
     * how much of the work was split across threads, whether or not a core was free to run it.
     */
    long workersAtLastReading() {
        return workersAtLastReading;
    }
}
