package dev.apoptosis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ArrayPool}: its capacity, and which lengths it drops when an array does not fit. */
class ArrayPoolTest {
    @Test
    void anArrayThatDoesNotFitDropsTheLengthsLeastRecentlyUsed() {
        ArrayPool pool = new ArrayPool(4L * 300, 1, false);  // room for 300 floats
        float[] a = new float[100], b = new float[101], c = new float[102];
        pool.give(a);
        pool.give(b);
        pool.take(100);       // 100 is now the more recently used length, and a is out
        pool.give(a);         // and back: 201 floats held
        pool.give(c);         // 303 > 300: 101 (least recently used) goes, 100 stays
        assertEquals(4L * 202, pool.heldBytes());
        assertSame(a, pool.take(100));
        assertSame(c, pool.take(102));
        assertNotSame(b, pool.take(101), "the dropped length is gone");
    }

    @Test
    void anArrayLargerThanTheCapacityIsNotKeptAndDropsNothingOfItsLength() {
        ArrayPool pool = new ArrayPool(4L * 100, 1, false);
        float[] small = new float[60], again = new float[60];
        pool.give(small);
        pool.give(again);     // 120 > 100: its own length is never dropped, so it is not kept
        assertEquals(4L * 60, pool.heldBytes());
        pool.give(new float[200]);  // larger than everything: drops the other lengths, still does not fit
        assertEquals(0, pool.heldBytes());
    }

    @Test
    void shortArraysAreNeitherKeptNorCounted() {
        ArrayPool pool = new ArrayPool(1 << 20, 64, false);
        float[] shortOne = new float[63];
        pool.give(shortOne);
        assertNotSame(shortOne, pool.take(63));
        assertEquals(0, pool.counts()[0]);
        assertTrue(pool.heldBytes() == 0);
    }
}
