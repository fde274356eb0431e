package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Order, coverage and reproducibility of the batches of an epoch. */
class DataLoaderShuffleTest {
    private final ByteImageDataset ds = LoaderFixtures.numbered(103, 2, 3, 3, 5);

    private DataLoader loader(long seed, boolean shuffle, Transform t) {
        return DataLoader.builder(ds).batchSize(10).seed(seed).shuffle(shuffle).transform(t).prefetch(2).build();
    }

    private static int[] visited(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.sampleIndices())).toArray();
    }

    @Test
    void everySampleOncePerEpochWithItsOwnPixelsAndLabel() {
        try (DataLoader l = loader(7, true, null)) {
            for (int e = 0; e < 3; e++) {
                List<Batch> batches = LoaderFixtures.drain(l.epoch(e));
                assertEquals(11, batches.size());
                int[] order = visited(batches);
                assertArrayEquals(l.order(e), order);
                int[] sorted = order.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < ds.size(); i++) assertEquals(i, sorted[i], "epoch " + e + " visits each sample once");
                float[] expect = new float[ds.sampleSize()];
                for (Batch b : batches) {
                    assertEquals(e, b.epoch());
                    for (int k = 0; k < b.size(); k++) {
                        int idx = b.sampleIndices()[k];
                        assertEquals(ds.read(idx, expect, 0), b.labels()[k]);
                        for (int j = 0; j < expect.length; j++) {
                            assertEquals(expect[j], b.images().at(k * expect.length + j), "sample " + idx);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameSeedSameBatchesOtherEpochOrSeedOtherOrder() {
        int[] a, b, c, d;
        try (DataLoader one = loader(7, true, null); DataLoader two = loader(7, true, null); DataLoader other = loader(8, true, null)) {
            a = visited(LoaderFixtures.drain(one.epoch(2)));
            b = visited(LoaderFixtures.drain(two.epoch(2)));
            c = visited(LoaderFixtures.drain(one.epoch(3)));
            d = visited(LoaderFixtures.drain(other.epoch(2)));
        }
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c), "epochs differ");
        assertFalse(Arrays.equals(a, d), "seeds differ");
    }

    @Test
    void withoutShuffleTheOrderIsTheDatasetOrder() {
        try (DataLoader l = loader(7, false, null)) {
            int[] order = visited(LoaderFixtures.drain(l.epoch(5)));
            for (int i = 0; i < order.length; i++) assertEquals(i, order[i]);
        }
    }

    @Test
    void augmentedBatchesReproduceAndResumeMidEpoch() {
        Transform t = Compose.of(new RandomCrop(3, 1), new HorizontalFlip(0.5));
        List<Batch> full, again, resumed;
        try (DataLoader l = loader(11, true, t)) {
            full = LoaderFixtures.drain(l.epoch(4));
            again = LoaderFixtures.drain(l.epoch(4));
            resumed = LoaderFixtures.drain(l.epoch(4, 6));
        }
        try (DataLoader fresh = loader(11, true, t)) {
            List<Batch> other = LoaderFixtures.drain(fresh.epoch(4, 6));
            assertEquals(5, other.size());
            for (int k = 0; k < 5; k++) assertArrayEquals(full.get(6 + k).images().toArray(), other.get(k).images().toArray());
        }
        assertEquals(full.size(), again.size());
        for (int k = 0; k < full.size(); k++) {
            assertArrayEquals(full.get(k).images().toArray(), again.get(k).images().toArray(), "batch " + k);
            assertArrayEquals(full.get(k).labels(), again.get(k).labels());
        }
        assertEquals(5, resumed.size());
        for (int k = 0; k < 5; k++) {
            assertEquals(6 + k, resumed.get(k).index());
            assertArrayEquals(full.get(6 + k).images().toArray(), resumed.get(k).images().toArray());
            assertArrayEquals(full.get(6 + k).sampleIndices(), resumed.get(k).sampleIndices());
        }
    }

    @Test
    void transformUsesTheStreamOfSeedEpochAndPosition() {
        Transform t = Compose.of(new RandomCrop(3, 1), new HorizontalFlip(0.5));
        try (DataLoader l = loader(11, true, t)) {
            List<Batch> batches = LoaderFixtures.drain(l.epoch(2));
            float[] raw = new float[ds.sampleSize()], expect = new float[ds.sampleSize()];
            int pos = 0;
            for (Batch b : batches) {
                for (int k = 0; k < b.size(); k++, pos++) {
                    ds.read(b.sampleIndices()[k], raw, 0);
                    t.apply(raw, 0, ds.sampleShape(), expect, 0, Seeds.augment(11, 2, pos));
                    for (int j = 0; j < expect.length; j++) assertEquals(expect[j], b.images().at(k * expect.length + j));
                }
            }
        }
    }

    @Test
    void samplesOfAnEpochGetIndependentAugmentations() {
        int n = 64;
        byte[] same = new byte[n * 16];
        for (int i = 0; i < same.length; i++) same[i] = (byte) (1 + i % 16); // n copies of one 1x4x4 image
        ByteImageDataset copies = new ByteImageDataset("copies", same, new int[n], new int[] {1, 4, 4}, 1, List.of(), 255);
        Transform t = Compose.of(new RandomCrop(4, 2), new HorizontalFlip(0.5));
        java.util.Set<String> distinct = new java.util.HashSet<>();
        try (DataLoader l = DataLoader.builder(copies).batchSize(16).seed(3).transform(t).build()) {
            for (Batch b : LoaderFixtures.drain(l.epoch(0))) {
                for (int k = 0; k < b.size(); k++) {
                    distinct.add(Arrays.toString(Arrays.copyOfRange(b.images().toArray(), k * 16, k * 16 + 16)));
                }
            }
        }
        // 25 crop offsets x 2 flips = 50 outcomes; 64 independent draws give far more than 20 distinct ones.
        assertTrue(distinct.size() > 20, "only " + distinct.size() + " distinct augmentations");
    }
}
