package dev.apoptosis.tensor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads behind {@link Parallel}: each worker spins for a short while after its last
 * task before it parks, and the caller spins while it waits for the workers' ranges.
 *
 * <p><b>Why not an executor.</b> A kernel call splits work that often takes tens of microseconds
 * (a ReLU over a cached activation, a convolution tile, a small GEMM). Waking a parked thread and
 * waking the caller again goes through the operating system, and on the virtual machines this
 * project runs on that round trip measured ~42 µs for an empty two-thread fork-join through
 * {@code Executors.newFixedThreadPool}: as long as the work itself, so a second thread made
 * memory-bound ops slower. A worker that is still spinning picks a task up within a fraction of a
 * microsecond; one that has parked is unparked as before.
 *
 * <p><b>Protocol.</b> A job is a {@link Parallel.RangeBody} over {@code [0, n)} in {@code parts}
 * ranges; range 0 is the caller's, range i (i &ge; 1) goes to worker i-1 through its volatile
 * {@code job} slot. A worker announces that it parks (volatile {@code parked}) and then re-reads its
 * slot before parking, and a submitter writes the slot before it reads {@code parked}: with volatile
 * accesses one of the two sees the other's write, so no wake-up is lost. One job at a time: callers
 * take {@link #busy}, and a caller that finds the pool busy (another thread's kernel) runs its whole
 * range itself, which gives the same results under {@link Parallel}'s determinism contract.
 */
final class SpinPool {
    /** How long a worker spins for its next task before parking: the gap between kernel calls in a step. */
    private static final long WORKER_SPIN_NANOS = 200_000;
    /** How long a waiting caller spins before it yields its core between checks. */
    private static final long CALLER_SPIN_NANOS = 100_000;
    /** How long a waiting caller yields between checks before it sleeps between them. */
    private static final long CALLER_YIELD_NANOS = 2_000_000;
    /** The caller's sleep between checks after that. */
    private static final long CALLER_NAP_NANOS = 50_000;

    private final Worker[] workers;
    /** The pool's threads, for per-thread CPU clocks. */
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean stopped;

    /** One job: a body, its range split, the ranges still running, and the first failure. */
    private static final class Job {
        final Parallel.RangeBody body;
        final int n, parts;
        final AtomicInteger pending;
        volatile Throwable failure;

        Job(Parallel.RangeBody body, int n, int parts) {
            this.body = body;
            this.n = n;
            this.parts = parts;
            this.pending = new AtomicInteger(parts - 1);
        }

        int lo(int part) {
            return (int) ((long) n * part / parts);
        }

        void run(int part) {
            try {
                body.run(lo(part), lo(part + 1));
            } catch (Throwable e) {
                if (failure == null) failure = e;
            }
        }
    }

    private final class Worker implements Runnable {
        final int part;
        volatile Job job;
        volatile boolean parked;
        Thread thread;

        Worker(int part) {
            this.part = part;
        }

        @Override
        public void run() {
            Parallel.markInside();
            while (!stopped) {
                Job j = awaitJob();
                if (j == null) continue;
                job = null;
                j.run(part);
                j.pending.decrementAndGet();
            }
        }

        private Job awaitJob() {
            long until = System.nanoTime() + WORKER_SPIN_NANOS;
            while (System.nanoTime() < until) {
                Job j = job;
                if (j != null) return j;
                Thread.onSpinWait();
            }
            parked = true;
            try {
                Job j = job;
                if (j == null && !stopped) LockSupport.park(this);
                return job;
            } finally {
                parked = false;
            }
        }
    }

    SpinPool(int count) {
        workers = new Worker[Math.max(0, count - 1)];
        for (int i = 0; i < workers.length; i++) {
            Worker w = new Worker(i + 1);
            Thread t = new Thread(w, "apoptosis-kernel-" + (i + 1));
            t.setDaemon(true);
            w.thread = t;
            workers[i] = w;
            threads.add(t);
            t.start();
        }
    }

    /** Number of threads a job can use: the workers and the caller. */
    int size() {
        return workers.length + 1;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in {@code parts} contiguous ranges (at most {@link #size()}),
     * the first on the calling thread; returns false without running anything when another caller's
     * job holds the pool.
     */
    boolean run(int n, int parts, Parallel.RangeBody body) {
        if (!busy.compareAndSet(0, 1)) return false;
        try {
            Job j = new Job(body, n, parts);
            for (int p = 1; p < parts; p++) {
                Worker w = workers[p - 1];
                w.job = j;
                if (w.parked) LockSupport.unpark(w.thread);
            }
            Parallel.markInside();
            try {
                j.run(0);
            } finally {
                Parallel.clearInside();
            }
            long start = System.nanoTime();
            while (j.pending.get() != 0) {
                long waited = System.nanoTime() - start;
                if (waited < CALLER_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < CALLER_YIELD_NANOS) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(CALLER_NAP_NANOS);   // a descheduled worker: leave the core to others
                }
            }
            Throwable f = j.failure;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            if (f != null) throw new RuntimeException(f);
            return true;
        } finally {
            busy.set(0);
        }
    }

    /**
     * Stops the workers after the job in progress, if any: the pool stays taken for good, so a caller
     * that still holds this pool runs its ranges itself instead of handing them to stopped workers.
     */
    void shutdown() {
        while (!busy.compareAndSet(0, 1)) Thread.onSpinWait();
        stopped = true;
        for (Worker w : workers) LockSupport.unpark(w.thread);
    }
}
