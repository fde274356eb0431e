package dev.apoptosis.tensor;

import java.util.Arrays;

/** Shape checks shared by every kernel: each failure names the op and both shapes. */
public final class Shapes {
    private Shapes() {}

    /** Throws unless {@code a} and {@code b} have identical shapes. Nothing broadcasts silently. */
    public static void requireSame(String op, Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException(op + ": shape mismatch " + Arrays.toString(a.shape()) + " vs "
                    + Arrays.toString(b.shape()));
        }
    }

    /** Throws unless {@code t} has exactly {@code expected} shape. */
    public static void requireShape(String op, String what, Tensor t, int... expected) {
        if (!t.hasShape(expected)) {
            throw new IllegalArgumentException(op + ": " + what + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(expected));
        }
    }

    /** Throws unless {@code t} has rank {@code rank}. */
    public static void requireRank(String op, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + what + " must have rank " + rank + ", got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
