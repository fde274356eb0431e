package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The unstructured keep-top-k against a plain sort of indices by (score descending, position ascending). */
class KeepTopTest {
    private static boolean[] reference(double[] s, long keep) {
        Integer[] idx = new Integer[s.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i));
        boolean[] k = new boolean[s.length];
        for (int i = 0; i < keep && i < s.length; i++) k[idx[i]] = s[idx[i]] != Double.NEGATIVE_INFINITY;
        return k;
    }

    @Test
    void exactCountWithTiesAndMaskedEntries() {
        Random rng = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            double[] s = new double[1 + rng.nextInt(60)];
            for (int i = 0; i < s.length; i++) {
                int r = rng.nextInt(10);
                s[i] = r == 0 ? Double.NEGATIVE_INFINITY : r < 4 ? 0.5 : rng.nextDouble();  // many ties
            }
            long keep = rng.nextInt(s.length + 1);
            assertArrayEquals(reference(s, keep), Pruner.keepTop(s, keep), "trial " + trial);
        }
    }
}
