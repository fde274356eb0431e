package dev.apoptosis.tensor;

/**
 * Argument checks and work-splitting constants shared by the non-GEMM kernels.
 *
 * <p>Array-level kernels take {@code (array, offset)} windows; a window that does not fit its
 * array is a caller bug and fails here, before any thread starts, with the op's name.
 * Per-channel and per-row vectors (means, scales, biases) are plain arrays indexed from 0.
 */
public final class Kernels {
    private Kernels() {}

    /** Elements per task for cheap elementwise work (one or two flops per element). */
    public static final int GRAIN_CHEAP = 1 << 15;
    /** Elements per task for transcendental work (exp, erf: tens of flops per element). */
    public static final int GRAIN_COSTLY = 1 << 12;
    /** Fixed chunk length of deterministic reductions (see {@link Parallel#chunks}). */
    public static final int CHUNK = 1 << 14;

    /** Checks that {@code [off, off + n)} is a window of {@code a}, or throws naming the op and the operand. */
    public static void window(String op, String what, float[] a, int off, int n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        if (n < 0 || off < 0 || off > a.length - n) {
            throw new IllegalArgumentException(op + ": " + what + " window [" + off + ", " + ((long) off + n)
                    + ") does not fit an array of length " + a.length);
        }
    }

    /** {@link #window(String, String, float[], int, int)} for an int array. */
    public static void window(String op, String what, int[] a, int off, int n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        if (n < 0 || off < 0 || off > a.length - n) {
            throw new IllegalArgumentException(op + ": " + what + " window [" + off + ", " + ((long) off + n)
                    + ") does not fit an array of length " + a.length);
        }
    }

    /** Checks a per-channel or per-row vector: at least {@code n} values from index 0. */
    public static void vector(String op, String what, float[] a, int n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        if (a.length < n) {
            throw new IllegalArgumentException(op + ": " + what + " has " + a.length + " values, needs " + n);
        }
    }

    /** {@link #vector(String, String, float[], int)} for a double array. */
    public static void vector(String op, String what, double[] a, int n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        if (a.length < n) {
            throw new IllegalArgumentException(op + ": " + what + " has " + a.length + " values, needs " + n);
        }
    }

    /** {@code outer * channels * inner} as an int, or a clear error. */
    public static int volume(String op, int outer, int channels, int inner) {
        if (outer < 0 || channels < 0 || inner < 0) {
            throw new IllegalArgumentException(op + ": negative extent [" + outer + ", " + channels + ", " + inner + "]");
        }
        long v = (long) outer * channels * inner;
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException(op + ": extent too large " + v);
        return (int) v;
    }

    /** The tensor's values indexed from 0: its own array when it starts at 0, else a copy. */
    public static float[] dense(Tensor t) {
        return t.offset() == 0 ? t.data() : t.toArray();
    }

    /** Rows with at least about {@code target} elements each, so small rows are batched into one task. */
    public static int rowGrain(int cols, int target) {
        return Math.max(1, target / Math.max(1, cols));
    }

    /** Throws unless {@code t} has rank {@code rank} or more. */
    public static void rankAtLeast(String op, String what, Tensor t, int rank) {
        if (t.rank() < rank) {
            throw new IllegalArgumentException(op + ": " + what + " must have rank >= " + rank + ", got shape "
                    + Shapes.str(t.shape()));
        }
    }

    /** Product of all dimensions but the last: the number of rows of {@code [..., C]}. */
    public static int leadingSize(Tensor t) {
        int n = 1;
        for (int d = 0; d < t.rank() - 1; d++) n *= t.dim(d);
        return n;
    }

    /** {outer, channels, inner} of a tensor {@code [N, C, ...]} (inner = 1 for {@code [N, C]}). */
    public static int[] channelExtent(String op, Tensor x) {
        rankAtLeast(op, "x", x, 2);
        int inner = 1;
        for (int d = 2; d < x.rank(); d++) inner *= x.dim(d);
        return new int[] {x.dim(0), x.dim(1), inner};
    }
}
