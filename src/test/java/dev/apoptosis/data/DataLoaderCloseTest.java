package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bounded prefetch and clean shutdown of the background worker. */
class DataLoaderCloseTest {
    private static void awaitWorkerEnd(DataLoader.Epoch e) throws InterruptedException {
        for (int i = 0; i < 200 && !e.workerFinished(); i++) Thread.sleep(5);
        assertTrue(e.workerFinished(), "worker thread ended");
    }

    @Test
    void prefetchIsBounded() throws Exception {
        LoaderFixtures.Instrumented ds = new LoaderFixtures.Instrumented(LoaderFixtures.numbered(100, 1, 2, 2, 2));
        try (DataLoader l = DataLoader.builder(ds).batchSize(5).prefetch(3).build()) {
            DataLoader.Epoch e = l.epoch(0);
            for (int i = 0; i < 500 && ds.reads.get() < 4 * 5; i++) Thread.sleep(10); // let the worker fill the queue
            Thread.sleep(100); // and give it time to overrun, were it unbounded
            int read = ds.reads.get();
            // 3 queued + 1 built and waiting for room
            assertTrue(read <= 4 * 5, "worker built at most prefetch + 1 batches ahead, read " + read);
            assertTrue(read >= 3 * 5, "worker did prefetch, read " + read);
            e.next();
            Thread.sleep(100);
            assertTrue(ds.reads.get() <= 5 * 5);
        }
    }

    @Test
    void closingMidEpochStopsTheWorker() throws Exception {
        LoaderFixtures.Instrumented ds = new LoaderFixtures.Instrumented(LoaderFixtures.numbered(100, 1, 2, 2, 2));
        DataLoader l = DataLoader.builder(ds).batchSize(5).prefetch(2).build();
        DataLoader.Epoch e = l.epoch(0);
        e.next();
        l.close();
        awaitWorkerEnd(e);
        assertThrows(IllegalStateException.class, e::hasNext);
        assertThrows(IllegalStateException.class, () -> l.epoch(1));
        l.close(); // idempotent
    }

    @Test
    void startingAnotherEpochStopsThePreviousOne() throws Exception {
        LoaderFixtures.Instrumented ds = new LoaderFixtures.Instrumented(LoaderFixtures.numbered(100, 1, 2, 2, 2));
        try (DataLoader l = DataLoader.builder(ds).batchSize(5).build()) {
            DataLoader.Epoch first = l.epoch(0);
            first.next();
            DataLoader.Epoch second = l.epoch(1);
            awaitWorkerEnd(first);
            assertThrows(IllegalStateException.class, first::hasNext);
            assertEquals(20, LoaderFixtures.drain(second).size());
        }
    }

    @Test
    void closeWakesAConsumerBlockedInAnotherThread() throws Exception {
        LoaderFixtures.Instrumented ds = new LoaderFixtures.Instrumented(LoaderFixtures.numbered(10, 1, 2, 2, 2));
        ds.gate = new CountDownLatch(1); // the worker blocks inside read() until interrupted
        DataLoader l = DataLoader.builder(ds).batchSize(5).build();
        DataLoader.Epoch e = l.epoch(0);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> consumer = ex.submit(e::hasNext);
            Thread.sleep(100);
            l.close();
            java.util.concurrent.ExecutionException failure =
                    assertThrows(java.util.concurrent.ExecutionException.class, () -> consumer.get(5, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof IllegalStateException, failure.getCause().toString());
            awaitWorkerEnd(e);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void fullyConsumedEpochEndsItsWorker() throws Exception {
        try (DataLoader l = DataLoader.builder(LoaderFixtures.numbered(12, 1, 2, 2, 2)).batchSize(5).build()) {
            DataLoader.Epoch e = l.epoch(0);
            assertEquals(3, LoaderFixtures.drain(e).size());
            awaitWorkerEnd(e);
        }
    }
}
