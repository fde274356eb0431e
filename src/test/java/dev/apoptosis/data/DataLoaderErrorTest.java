package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Exceptions in the background worker reach the consumer, after the batches built before them. */
class DataLoaderErrorTest {
    @Test
    void workerExceptionPropagatesWithItsCause() throws Exception {
        LoaderFixtures.Instrumented ds = new LoaderFixtures.Instrumented(LoaderFixtures.numbered(40, 1, 2, 2, 3));
        ds.failAt = 25; // without shuffling: batch 2 (samples 20..29)
        try (DataLoader l = DataLoader.builder(ds).batchSize(10).shuffle(false).build()) {
            DataLoader.Epoch e = l.epoch(3);
            assertEquals(0, e.next().index());
            assertEquals(1, e.next().index());
            DataLoaderException ex = assertThrows(DataLoaderException.class, e::hasNext);
            assertInstanceOf(IllegalStateException.class, ex.getCause());
            assertTrue(ex.getMessage().contains("batch 2") && ex.getMessage().contains("epoch 3")
                    && ex.getMessage().contains("sample 25 is broken"), ex.getMessage());
            assertThrows(DataLoaderException.class, e::next, "the failure is sticky");
            for (int i = 0; i < 100 && !e.workerFinished(); i++) Thread.sleep(10);
            assertTrue(e.workerFinished(), "the worker ends after failing");
        }
    }

    @Test
    void transformExceptionPropagates() {
        Transform broken = new Transform() {
            @Override
            public int[] outputShape(int[] in) {
                return in.clone();
            }

            @Override
            public void apply(float[] src, int srcOff, int[] shape, float[] dst, int dstOff, java.util.random.RandomGenerator rng) {
                throw new ArithmeticException("transform exploded");
            }
        };
        try (DataLoader l = DataLoader.builder(LoaderFixtures.numbered(5, 1, 2, 2, 2)).transform(broken).build()) {
            DataLoaderException ex = assertThrows(DataLoaderException.class, () -> l.epoch(0).next());
            assertInstanceOf(ArithmeticException.class, ex.getCause());
        }
    }
}
