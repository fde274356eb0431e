package dev.apoptosis.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.tensor.Parallel;
import org.junit.jupiter.api.Test;

/** The clock counts CPU time of the kernel pool's workers, which it gets from the pool itself. */
class KernelCpuClockTest {
    private static volatile double sink;

    private static void burn(int lo, int hi) {
        double s = 0;
        for (int i = 0; i < 20_000_000; i++) s += Math.sqrt(i + lo);
        sink = s;
    }

    @Test
    void countsTheWorkersCpuTime() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(before == 3 ? 4 : 3); // a fresh pool with two workers
            KernelCpuClock clock = new KernelCpuClock();
            assumeTrue(clock.available(), "this JVM cannot measure thread CPU time");
            Parallel.forRange(3, KernelCpuClockTest::burn);
            clock.refreshWorkers();
            assertEquals(Parallel.threads() - 1, Parallel.workerThreadIds().length, "one worker per thread but the caller's");
            long t0 = clock.now(), w0 = clock.workersAtLastReading();
            Parallel.forRange(3, KernelCpuClockTest::burn);
            long t1 = clock.now(), w1 = clock.workersAtLastReading();
            assertTrue(w1 > w0, "workers' CPU time must grow: " + w0 + " -> " + w1);
            assertTrue(t1 - t0 > w1 - w0, "the total includes the calling thread's own range");
        } finally {
            Parallel.setThreads(before);
        }
    }
}
