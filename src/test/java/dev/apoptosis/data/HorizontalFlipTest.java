package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HorizontalFlipTest {
    private static final float[] IMG = {1, 2, 3, 4, 5, 6, /* channel 2 */ 7, 8, 9, 10, 11, 12}; // 2x2x3
    private static final float[] FLIPPED = {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10};
    private static final int[] SHAPE = {2, 2, 3};

    @Test
    void alwaysFlipMirrorsEveryRow() {
        float[] out = new float[14];
        new HorizontalFlip(1).apply(IMG, 0, SHAPE, out, 2, new SplittableRandom(1));
        assertArrayEquals(FLIPPED, Arrays.copyOfRange(out, 2, 14));
    }

    @Test
    void neverFlipCopies() {
        float[] out = new float[12];
        new HorizontalFlip(0).apply(IMG, 0, SHAPE, out, 0, new SplittableRandom(1));
        assertArrayEquals(IMG, out);
    }

    @Test
    void flippingTwiceRestores() {
        float[] once = new float[12], twice = new float[12];
        HorizontalFlip.flip(IMG, 0, SHAPE, once, 0);
        HorizontalFlip.flip(once, 0, SHAPE, twice, 0);
        assertArrayEquals(IMG, twice);
    }

    @Test
    void halfProbabilityFlipsAboutHalfAndFollowsTheDraw() {
        HorizontalFlip f = new HorizontalFlip(0.5);
        float[] out = new float[12];
        int flips = 0, n = 4000;
        for (int s = 0; s < n; s++) {
            f.apply(IMG, 0, SHAPE, out, 0, new SplittableRandom(s));
            boolean expectFlip = new SplittableRandom(s).nextDouble() < 0.5;
            assertArrayEquals(expectFlip ? FLIPPED : IMG, out, "seed " + s);
            if (expectFlip) flips++;
        }
        assertTrue(Math.abs(flips - n / 2) < 4 * Math.sqrt(n / 4.0), "flips " + flips + " of " + n);
    }

    @Test
    void rejectsBadProbability() {
        assertThrows(IllegalArgumentException.class, () -> new HorizontalFlip(1.5));
        assertThrows(IllegalArgumentException.class, () -> new HorizontalFlip(Double.NaN));
    }
}
