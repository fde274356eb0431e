package dev.apoptosis.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Moments of two shards combine into the moments of their union (the oracle: computed on the union directly). */
class BatchNormMomentsTest {
    @Test
    void shardsCombineIntoTheWholeBatchsMoments() {
        Random r = new Random(1);
        int c = 3, plane = 4;
        float[] all = new float[10 * c * plane];
        for (int i = 0; i < all.length; i++) all[i] = (float) (r.nextGaussian() * (1 + i % 3) + (i < all.length / 3 ? 5 : 0));
        Tensor whole = Tensor.wrap(all, new int[] {10, c, 2, 2});
        Tensor a = Tensor.wrap(java.util.Arrays.copyOfRange(all, 0, 3 * c * plane), new int[] {3, c, 2, 2});
        Tensor b = Tensor.wrap(java.util.Arrays.copyOfRange(all, 3 * c * plane, all.length), new int[] {7, c, 2, 2});
        BatchNormMoments w = BatchNormMoments.of("bn", whole), ab = BatchNormMoments.of("bn", a).plus(BatchNormMoments.of("bn", b));
        assertEquals(w.count(), ab.count());
        assertArrayEquals(w.mean(), ab.mean(), 1e-12);
        assertArrayEquals(w.m2(), ab.m2(), 1e-10);
    }
}
