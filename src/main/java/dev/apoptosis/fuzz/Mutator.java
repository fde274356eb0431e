package dev.apoptosis.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a valid file. Each call applies one to three of: truncation, bit flips, a
 * byte set to 0x00/0xff/random, a 2-, 4- or 8-byte big-endian field set to an extreme value (0, 1,
 * -1, the largest and smallest int, sizes just past 2^31 / 2^24 / 46340^2...), a range deleted, a
 * range duplicated. Field positions favour the first 256 bytes, where headers and counts live.
 * The same seed always gives the same mutation, so a failure is reproducible from its seed.
 */
public final class Mutator {
    /** Values a size field is set to: the edges where allocation and arithmetic go wrong. */
    static final long[] EXTREMES = {0, 1, 2, 255, 256, 65535, 65536, 46340, 1 << 20, (1 << 24) + 1, Integer.MAX_VALUE,
        Integer.MAX_VALUE - 8, 0x80000000L, 0xFFFFFFFFL, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 67108865, 40000};

    private Mutator() {}

    /** A mutated copy of {@code valid}. */
    public static byte[] mutate(byte[] valid, SplittableRandom r) {
        byte[] b = valid.clone();
        int steps = 1 + r.nextInt(3);
        for (int s = 0; s < steps; s++) b = step(b, r);
        return b;
    }

    private static byte[] step(byte[] b, SplittableRandom r) {
        if (b.length == 0) return new byte[] {(byte) r.nextInt(256)};
        switch (r.nextInt(7)) {
            case 0: // truncation
                return Arrays.copyOf(b, r.nextInt(b.length));
            case 1: { // bit flips
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = position(b.length, r);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 2: { // one byte to an edge value
                int at = position(b.length, r);
                int v = r.nextInt(3);
                b[at] = (byte) (v == 0 ? 0 : v == 1 ? 0xff : r.nextInt(256));
                return b;
            }
            case 3:
            case 4: { // a size field to an extreme
                int width = new int[] {2, 4, 4, 8}[r.nextInt(4)];
                if (b.length < width) return b;
                int at = Math.min(position(b.length, r), b.length - width);
                long v = EXTREMES[r.nextInt(EXTREMES.length)];
                for (int i = 0; i < width; i++) b[at + i] = (byte) (v >>> (8 * (width - 1 - i)));
                return b;
            }
            case 5: { // a range deleted
                int from = position(b.length, r), len = 1 + r.nextInt(Math.min(b.length - from, 1024));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, from + len, out, from, b.length - from - len);
                return out;
            }
            default: { // a range duplicated in place
                int from = position(b.length, r), len = 1 + r.nextInt(Math.min(b.length - from, 1024));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, from + len);
                System.arraycopy(b, from, out, from + len, b.length - from);
                return out;
            }
        }
    }

    /** A position, in the first 256 bytes half the time. */
    private static int position(int length, SplittableRandom r) {
        return r.nextBoolean() ? r.nextInt(Math.min(length, 256)) : r.nextInt(length);
    }
}
