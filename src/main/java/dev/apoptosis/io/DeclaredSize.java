package dev.apoptosis.io;

/**
 * Checks a size read from a file before anything is allocated for it.
 *
 * <p>A checksum only catches accidents: a crafted 100-byte file can carry a valid checksum and declare
 * a 46340 x 46340 tensor. So every count, length and dimension read from a file is checked, in this
 * order, against
 * <ol>
 * <li>sign and overflow: the product of the dimensions and the element width is computed exactly;</li>
 * <li>the bytes the file can still deliver ({@code available}): a file cannot justify more memory
 *     than it holds, or for compressed data than its compressed bytes can expand to;</li>
 * <li>Java's array limit, and the heap this JVM may still use ({@link #freeHeap}), so a large but
 *     genuine file is refused with a message saying how much memory it needs, not an
 *     {@code OutOfMemoryError} with a stack trace.</li>
 * </ol>
 * A refusal goes through the reader's own exception ({@link Refusal}).
 */
public final class DeclaredSize {
    /** The longest Java array this code allocates (a few VMs refuse the last few indices). */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private DeclaredSize() {}

    /**
     * {@code count} elements of {@code bytesEach} bytes as an array length, refused if negative,
     * overflowing, more than the {@code available} bytes, more than an array holds, or more than the
     * free heap. {@code what} names the elements in messages ("labels", "tensor conv1.weight").
     */
    public static <E extends Exception> int arrayLength(long count, int bytesEach, long available, String what,
                                                         Refusal<E> refuse) throws E {
        long bytes = bytes(count, bytesEach, available, what, refuse);
        if (count > MAX_ARRAY) throw refuse.because(what + ": " + count + " elements exceed the largest array (" + MAX_ARRAY + ")");
        requireHeap(bytes, what, refuse);
        return (int) count;
    }

    /**
     * {@code count * bytesEach}, refused if negative, overflowing or more than {@code available}; for
     * counts of records that are read one at a time (nothing allocated for all of them at once).
     */
    public static <E extends Exception> long bytes(long count, long bytesEach, long available, String what,
                                                   Refusal<E> refuse) throws E {
        if (count < 0) throw refuse.because(what + ": negative count " + count);
        long bytes;
        try {
            bytes = Math.multiplyExact(count, bytesEach);
        } catch (ArithmeticException e) {
            throw refuse.because(what + ": " + count + " elements of " + bytesEach + " bytes overflow a 64-bit size");
        }
        if (bytes > available) {
            throw refuse.because("truncated, or a corrupt size field: " + what + " needs " + bytes + " bytes"
                    + (bytesEach == 1 ? "" : " (" + count + " of " + bytesEach + ")") + ", the file ends after " + available
                    + " more bytes at most");
        }
        return bytes;
    }

    /** The product of {@code dims} (each >= 0), refused on a negative dimension or overflow of a long. */
    public static <E extends Exception> long product(int[] dims, String what, Refusal<E> refuse) throws E {
        long p = 1;
        for (int d : dims) {
            if (d < 0) throw refuse.because(what + ": negative dimension " + d);
            try {
                p = Math.multiplyExact(p, d);
            } catch (ArithmeticException e) {
                throw refuse.because(what + ": dimensions " + java.util.Arrays.toString(dims) + " overflow a 64-bit size");
            }
        }
        return p;
    }

    /** Refuses unless {@code bytes} fit in the heap this JVM may still use (after one garbage collection if needed). */
    public static <E extends Exception> void requireHeap(long bytes, String what, Refusal<E> refuse) throws E {
        if (bytes < 1 << 24 || bytes <= freeHeap()) return; // below 16 MB: not worth a look
        System.gc(); // garbage counts as used until collected; one collection before refusing a genuine file
        long free = freeHeap();
        if (bytes > free) {
            throw refuse.because(what + ": needs " + mb(bytes) + " of memory but this JVM has " + mb(free)
                    + " left (maximum heap " + mb(Runtime.getRuntime().maxMemory()) + "; raise it with -Xmx)");
        }
    }

    /** Bytes the heap can still grow into: the maximum minus what is in use now. */
    public static long freeHeap() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
