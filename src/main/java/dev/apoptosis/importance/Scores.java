package dev.apoptosis.importance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-parameter importance accumulated over calibration batches: for every scored parameter (by
 * full name, e.g. {@code "layer1.0.conv1.weight"}) the float64 sum of its per-batch scores, laid out
 * like the parameter's tensor (row-major over {@link #shape}), and the number of batches summed.
 *
 * <p><b>Why sums and a count.</b> A mean cannot be merged without its count; sums and counts add. So
 * the scores of several workers or machines combine by {@link #merge} (or {@link #addAll}) in a
 * fixed order chosen by the caller, giving the same numbers as one process would up to the order of
 * float64 additions, and bit-identical numbers whenever the caller fixes that order.
 *
 * <p><b>Mutability.</b> A Scores is a mutable accumulator owned by one thread: a
 * {@link Criterion} adds one batch at a time with {@link #addBatch}, and {@link #addAll} adds
 * another Scores in place. {@link #merge} and {@link #copy} return new objects and leave their
 * operands unchanged. Accessors return copies, so no caller can change the sums behind its back.
 * Every Scores names the criterion that produced it; only Scores of the same criterion and the same
 * parameters (names, order and shapes) can be added.
 */
public final class Scores {
    private final String criterion;
    private final Map<String, int[]> shapes;
    private final Map<String, double[]> sums;
    private long batches;

    private Scores(String criterion, Map<String, int[]> shapes) {
        this.criterion = criterion;
        this.shapes = shapes;
        this.sums = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) sums.put(e.getKey(), new double[size(e.getValue())]);
    }

    /**
     * Empty scores (zero sums, no batches) of {@code criterion} for the given parameters, full name to
     * shape, in the map's iteration order (which {@link #names} keeps).
     */
    public static Scores empty(String criterion, Map<String, int[]> parameterShapes) {
        if (criterion == null || criterion.isBlank()) throw new IllegalArgumentException("Scores: criterion name is empty");
        if (parameterShapes.isEmpty()) throw new IllegalArgumentException("Scores of '" + criterion + "': no parameter to score");
        Map<String, int[]> s = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : parameterShapes.entrySet()) s.put(e.getKey(), e.getValue().clone());
        return new Scores(criterion, Collections.unmodifiableMap(s));
    }

    /**
     * Scores rebuilt from their parts, as {@link #sum} and {@link #batches} return them: how scores
     * computed in another process come back (the cluster ships the arrays, not this object). The
     * sums are copied exactly, so a rebuilt Scores adds like the original.
     */
    public static Scores ofSums(String criterion, Map<String, int[]> parameterShapes, Map<String, double[]> sums, long batches) {
        Scores s = empty(criterion, parameterShapes);
        if (!sums.keySet().equals(s.shapes.keySet())) {
            throw new IllegalArgumentException("scores of '" + criterion + "': sums for " + sums.keySet() + ", parameters " + s.shapes.keySet());
        }
        if (batches < 0) throw new IllegalArgumentException("scores of '" + criterion + "': negative batch count " + batches);
        for (Map.Entry<String, double[]> e : s.sums.entrySet()) {
            double[] from = sums.get(e.getKey());
            if (from.length != e.getValue().length) {
                throw new IllegalArgumentException("scores of '" + criterion + "': " + e.getKey() + " has " + e.getValue().length
                        + " entries, the sums give " + from.length);
            }
            System.arraycopy(from, 0, e.getValue(), 0, from.length);
        }
        s.batches = batches;
        return s;
    }

    /** The name of the criterion that produced these scores. */
    public String criterion() {
        return criterion;
    }

    /** Full names of the scored parameters, in graph parameter order. */
    public Set<String> names() {
        return shapes.keySet();
    }

    /** Number of batches summed. */
    public long batches() {
        return batches;
    }

    /** The parameter's shape (a copy). */
    public int[] shape(String name) {
        return entry(shapes, name).clone();
    }

    /** The sum of the parameter's per-batch scores (a copy), laid out like the parameter. */
    public double[] sum(String name) {
        return entry(sums, name).clone();
    }

    /** The mean per-batch score of the parameter: {@link #sum} / {@link #batches}; an error before any batch. */
    public double[] mean(String name) {
        double[] s = entry(sums, name);
        if (batches == 0) throw new IllegalStateException("scores of '" + criterion + "': no batch accumulated, so no mean");
        double[] m = new double[s.length];
        for (int i = 0; i < m.length; i++) m[i] = s[i] / batches;
        return m;
    }

    /**
     * Adds one batch: {@code perParameter} holds a score array for every scored parameter (no more,
     * no fewer), each of the parameter's size; the batch count grows by one. Nothing is added if any
     * array is missing or of the wrong size.
     */
    public void addBatch(Map<String, double[]> perParameter) {
        if (!perParameter.keySet().equals(shapes.keySet())) {
            List<String> missing = new ArrayList<>(shapes.keySet());
            missing.removeAll(perParameter.keySet());
            List<String> extra = new ArrayList<>(perParameter.keySet());
            extra.removeAll(shapes.keySet());
            throw new IllegalArgumentException("scores of '" + criterion + "': a batch must score exactly the parameters "
                    + shapes.keySet() + "; missing " + missing + ", unexpected " + extra);
        }
        for (Map.Entry<String, double[]> e : perParameter.entrySet()) {
            int n = sums.get(e.getKey()).length;
            if (e.getValue().length != n) {
                throw new IllegalArgumentException("scores of '" + criterion + "': " + e.getKey() + " has " + n
                        + " entries, the batch gives " + e.getValue().length);
            }
        }
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue(), b = perParameter.get(e.getKey());
            for (int i = 0; i < s.length; i++) s[i] += b[i];
        }
        batches++;
    }

    /** Adds {@code other}'s sums and batch count into this one, element by element (this + other). */
    public Scores addAll(Scores other) {
        requireCompatible(other);
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue(), o = other.sums.get(e.getKey());
            for (int i = 0; i < s.length; i++) s[i] += o[i];
        }
        batches += other.batches;
        return this;
    }

    /** A new Scores equal to this + other (sums and batch counts); neither operand changes. */
    public Scores merge(Scores other) {
        return copy().addAll(other);
    }

    /** An independent copy. */
    public Scores copy() {
        Scores c = new Scores(criterion, shapes);
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            System.arraycopy(e.getValue(), 0, c.sums.get(e.getKey()), 0, e.getValue().length);
        }
        c.batches = batches;
        return c;
    }

    private void requireCompatible(Scores other) {
        if (!criterion.equals(other.criterion)) {
            throw new IllegalArgumentException("cannot add scores of criterion '" + other.criterion + "' to scores of '" + criterion + "'");
        }
        if (!new ArrayList<>(shapes.keySet()).equals(new ArrayList<>(other.shapes.keySet()))) {
            throw new IllegalArgumentException("cannot add scores of '" + criterion + "': parameters differ ("
                    + shapes.keySet() + " against " + other.shapes.keySet() + ")");
        }
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.shapes.get(e.getKey()))) {
                throw new IllegalArgumentException("cannot add scores of '" + criterion + "': " + e.getKey() + " has shape "
                        + Arrays.toString(e.getValue()) + " here and " + Arrays.toString(other.shapes.get(e.getKey())) + " there");
            }
        }
    }

    private <T> T entry(Map<String, T> m, String name) {
        T v = m.get(name);
        if (v == null) throw new IllegalArgumentException("scores of '" + criterion + "' have no parameter '" + name + "' (they score " + shapes.keySet() + ")");
        return v;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
