package dev.apoptosis.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Free float arrays by exact length, at most {@code capacityBytes} in all: the store behind {@link Recycler}.
 * When an array given back does not fit, the lengths least recently asked for or given back are dropped
 * first (a model or batch size no longer in use), never the given array's own; if it still does not fit it
 * is left to the garbage collector. Thread-safe; one lock, held for a map look-up.
 */
final class ArrayPool {
    private final long capacityBytes;
    private final int minLength;
    private final boolean poison;
    /** Access-ordered: iteration starts at the length least recently taken or given back. */
    private final Map<Integer, ArrayDeque<float[]>> free = new LinkedHashMap<>(16, 0.75f, true);
    private long heldBytes;
    private long taken, reused;

    ArrayPool(long capacityBytes, int minLength, boolean poison) {
        this.capacityBytes = capacityBytes;
        this.minLength = minLength;
        this.poison = poison;
    }

    /** An array of {@code length} floats with unspecified contents (NaN when poisoning). */
    float[] take(int length) {
        float[] a = null;
        if (length >= minLength) {
            synchronized (this) {
                taken++;
                ArrayDeque<float[]> q = free.get(length);
                if (q != null && !q.isEmpty()) {
                    a = q.pop();
                    heldBytes -= 4L * length;
                    reused++;
                }
            }
        }
        if (a == null) a = new float[length];
        if (poison) Arrays.fill(a, Float.NaN);
        return a;
    }

    /** Keeps {@code a} for a later {@link #take}, if it is long enough and fits. */
    void give(float[] a) {
        if (a.length < minLength) return;
        if (poison) Arrays.fill(a, Float.NaN);
        long bytes = 4L * a.length;
        synchronized (this) {
            ArrayDeque<float[]> q = free.computeIfAbsent(a.length, k -> new ArrayDeque<>());
            for (float[] kept : q) {
                if (kept == a) throw new IllegalStateException("Recycler.give: an array of " + a.length + " floats given back twice");
            }
            for (Iterator<ArrayDeque<float[]>> it = free.values().iterator(); heldBytes + bytes > capacityBytes && it.hasNext(); ) {
                ArrayDeque<float[]> other = it.next();
                if (other == q) continue;
                for (float[] dropped : other) heldBytes -= 4L * dropped.length;
                it.remove();
            }
            if (heldBytes + bytes > capacityBytes) return;
            q.push(a);
            heldBytes += bytes;
        }
    }

    synchronized long heldBytes() {
        return heldBytes;
    }

    synchronized long[] counts() {
        return new long[] {taken, reused};
    }

    synchronized void clear() {
        free.clear();
        heldBytes = 0;
    }
}
