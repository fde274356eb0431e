package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Batch sizes, drop-last, tensor shapes. */
class DataLoaderBatchingTest {
    private final ByteImageDataset ds = LoaderFixtures.numbered(23, 3, 4, 4, 4);

    private static int[] sizes(List<Batch> bs) {
        return bs.stream().mapToInt(Batch::size).toArray();
    }

    @Test
    void keepsTheLastPartialBatchByDefault() {
        try (DataLoader l = DataLoader.builder(ds).batchSize(5).build()) {
            assertEquals(5, l.batchesPerEpoch());
            List<Batch> bs = LoaderFixtures.drain(l.epoch(0));
            assertArrayEquals(new int[] {5, 5, 5, 5, 3}, sizes(bs));
            assertArrayEquals(new int[] {3, 3, 4, 4}, bs.get(4).images().shape());
            for (int k = 0; k < bs.size(); k++) assertEquals(k, bs.get(k).index());
        }
    }

    @Test
    void dropLastDropsThePartialBatch() {
        try (DataLoader l = DataLoader.builder(ds).batchSize(5).dropLast(true).build()) {
            assertEquals(4, l.batchesPerEpoch());
            assertArrayEquals(new int[] {5, 5, 5, 5}, sizes(LoaderFixtures.drain(l.epoch(0))));
        }
    }

    @Test
    void batchLargerThanDataset() {
        try (DataLoader keep = DataLoader.builder(ds).batchSize(64).build();
             DataLoader drop = DataLoader.builder(ds).batchSize(64).dropLast(true).build()) {
            assertArrayEquals(new int[] {23}, sizes(LoaderFixtures.drain(keep.epoch(0))));
            assertEquals(0, LoaderFixtures.drain(drop.epoch(0)).size());
        }
    }

    @Test
    void transformChangesTheBatchShape() {
        try (DataLoader l = DataLoader.builder(ds).batchSize(8).transform(new RandomCrop(2, 0)).build()) {
            assertArrayEquals(new int[] {3, 2, 2}, l.sampleShape());
            Batch b = l.epoch(0).next();
            assertArrayEquals(new int[] {8, 3, 2, 2}, b.images().shape());
        }
    }

    @Test
    void exhaustedEpochSaysSo() {
        try (DataLoader l = DataLoader.builder(ds).batchSize(23).build()) {
            DataLoader.Epoch e = l.epoch(0);
            e.next();
            assertFalse(e.hasNext());
            assertFalse(e.hasNext());
            assertThrows(NoSuchElementException.class, e::next);
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).prefetch(0));
        try (DataLoader l = DataLoader.builder(ds).batchSize(5).build()) {
            assertThrows(IllegalArgumentException.class, () -> l.epoch(0, 6));
        }
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(ds).transform(new Normalize(new float[] {0}, new float[] {1})).build());
    }
}
