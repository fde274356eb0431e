package dev.apoptosis.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Parallel} over its {@link SpinPool}: every index once, failures, nesting, concurrent callers, pool rebuilds, idle workers. */
class ParallelTest {
    private int before;

    @BeforeEach
    void save() {
        before = Parallel.threads();
        Parallel.setThreads(3);
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    private static int[] covered(int n, int grain) {
        int[] hits = new int[n];
        Parallel.forRange(n, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) hits[i]++;
        });
        return hits;
    }

    @Test
    void everyIndexRunsExactlyOnceOnSeveralThreads() {
        for (int n : new int[] {1, 2, 3, 7, 1000, 100_003}) {
            int[] hits = covered(n, 1);
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            assertArrayEquals(ones, hits, "n=" + n);
        }
        Set<String> names = ConcurrentHashMap.newKeySet();
        Parallel.forRange(3, 1, (lo, hi) -> names.add(Thread.currentThread().getName()));
        assertEquals(3, names.size(), "three ranges on three threads: " + names);
    }

    @Test
    void aFailureInAWorkerRangeReachesTheCallerAndThePoolStillWorks() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(300, 1, (lo, hi) -> {
            if (lo > 0) throw new IllegalStateException("range " + lo);
        }));
        assertTrue(e.getMessage().startsWith("range "), e.getMessage());
        assertThrows(OutOfMemoryError.class, () -> Parallel.forRange(300, 1, (lo, hi) -> {
            if (lo == 0) throw new OutOfMemoryError("caller's range");
        }));
        assertEquals(300, java.util.Arrays.stream(covered(300, 1)).sum());
    }

    @Test
    void nestedCallsRunSeriallyInsideARange() {
        int[] inner = new int[3 * 50];
        Parallel.forRange(3, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int base = i * 50;
                Parallel.forRange(50, 1, (a, b) -> {
                    for (int j = a; j < b; j++) inner[base + j]++;
                });
            }
        });
        assertTrue(java.util.Arrays.stream(inner).allMatch(v -> v == 1));
    }

    /** Two threads calling kernels at once: one gets the pool, the other runs its range itself; both complete. */
    @Test
    void concurrentCallersBothComplete() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        Runnable caller = () -> {
            try {
                start.await();
                for (int r = 0; r < 2000; r++) {
                    int[] hits = covered(97, 1);
                    for (int h : hits) if (h != 1) throw new AssertionError("index run " + h + " times");
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread a = new Thread(caller), b = new Thread(caller);
        a.start();
        b.start();
        start.countDown();
        a.join(TimeUnit.SECONDS.toMillis(60));
        b.join(TimeUnit.SECONDS.toMillis(60));
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertTrue(!a.isAlive() && !b.isAlive(), "both callers finished");
    }

    /** Workers park after a while without work and are woken by the next call; a new count rebuilds the pool. */
    @Test
    void parkedWorkersWakeUpAndRebuildsKeepOneWorkerPerExtraThread() throws Exception {
        covered(10, 1);
        Thread.sleep(50);   // far beyond the spin time: the workers are parked now
        assertEquals(10, java.util.Arrays.stream(covered(10, 1)).sum());
        assertEquals(2, Parallel.workerThreadIds().length);
        long[] old = Parallel.workerThreadIds();
        Parallel.setThreads(2);
        covered(10, 1);
        assertEquals(1, Parallel.workerThreadIds().length);
        Thread.sleep(50);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            for (long id : old) if (t.getId() == id) assertTrue(!t.isAlive(), "the old pool's worker " + t.getName() + " stopped");
        }
    }
}
