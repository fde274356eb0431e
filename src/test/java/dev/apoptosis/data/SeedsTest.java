package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void everyCoordinateChangesTheSeed() {
        Set<Long> seen = new HashSet<>();
        for (long seed = 0; seed < 4; seed++)
            for (int epoch = 0; epoch < 8; epoch++)
                for (int pos = 0; pos < 64; pos++) seen.add(Seeds.derive(seed, Seeds.AUGMENT, epoch, pos));
        assertEquals(4 * 8 * 64, seen.size());
        assertNotEquals(Seeds.derive(1, 2, 3), Seeds.derive(1, 3, 2), "order of coordinates matters");
        assertNotEquals(Seeds.derive(1, Seeds.SHUFFLE, 0), Seeds.derive(1, Seeds.AUGMENT, 0), "streams are separate");
        assertEquals(Seeds.derive(5, 6, 7), Seeds.derive(5, 6, 7));
    }

    @Test
    void permutationIsAPermutationAndSeeded() {
        int[] p = Seeds.permutation(1000, new SplittableRandom(9));
        boolean[] hit = new boolean[1000];
        for (int v : p) hit[v] = true;
        for (boolean h : hit) assertTrue(h);
        int fixedPoints = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == i) fixedPoints++;
        assertTrue(fixedPoints < 10, "looks shuffled: " + fixedPoints + " fixed points");
        assertEquals(java.util.Arrays.toString(p), java.util.Arrays.toString(Seeds.permutation(1000, new SplittableRandom(9))));
    }
}
