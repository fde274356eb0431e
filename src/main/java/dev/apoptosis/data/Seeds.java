package dev.apoptosis.data;

import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from a run seed and coordinates such as the
 * epoch and a sample's position, so any part of any epoch can be regenerated on its own (a resumed
 * run sees exactly the batches of an uninterrupted one) and no stream depends on thread timing.
 */
public final class Seeds {
    /** Stream tags: the shuffle order and the per-sample augmentation draw from unrelated streams. */
    static final long SHUFFLE = 0x5348554646L;
    static final long AUGMENT = 0x4155474dL;

    private Seeds() {}

    /** SplitMix64's finaliser: a bijective mix with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A seed for the given coordinates; each coordinate is folded in with its own mixing round. */
    public static long derive(long seed, long... coordinates) {
        long h = mix64(seed + 0x9e3779b97f4a7c15L);
        for (long c : coordinates) h = mix64(h ^ mix64(c + 0x9e3779b97f4a7c15L));
        return h;
    }

    /** The random stream for the shuffle of one epoch. */
    public static SplittableRandom shuffle(long seed, int epoch) {
        return new SplittableRandom(derive(seed, SHUFFLE, epoch));
    }

    /** The random stream for augmenting the sample at {@code position} of an epoch's order. */
    public static SplittableRandom augment(long seed, int epoch, int position) {
        return new SplittableRandom(derive(seed, AUGMENT, epoch, position));
    }

    /** A seeded Fisher-Yates permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
