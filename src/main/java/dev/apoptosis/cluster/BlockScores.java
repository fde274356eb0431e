package dev.apoptosis.cluster;

import dev.apoptosis.importance.Scores;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One block's scores on their way back to the driver as a task result: the float64 sums by
 * parameter name and the batch count, rebuilt into a {@link Scores} with the driver's own parameter
 * order and shapes (so a block computed on a different model is an error, not a silent mix). By
 * name, because the executor's copy of a model may list its parameters in another order: a graph
 * built in code (the model zoo) is not in the order a checkpoint rebuilds it in.
 */
record BlockScores(int block, List<String> names, double[][] sums, long batches) implements Serializable {
    private static final long serialVersionUID = 1L;

    static BlockScores of(int block, Scores s) {
        List<String> names = new ArrayList<>(s.names());
        double[][] sums = new double[names.size()][];
        for (int i = 0; i < sums.length; i++) sums[i] = s.sum(names.get(i));
        return new BlockScores(block, names, sums, s.batches());
    }

    /** The sums as Scores shaped like {@code empty} (the driver's empty scores of the same model). */
    Scores toScores(Scores empty) {
        if (!new java.util.HashSet<>(names).equals(empty.names())) {
            throw new IllegalStateException("block " + block + " scored parameters " + names + ", the driver's model has " + empty.names());
        }
        Map<String, double[]> byName = new LinkedHashMap<>();
        for (int i = 0; i < sums.length; i++) byName.put(names.get(i), sums[i]);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, double[]> m = new LinkedHashMap<>();
        for (String n : empty.names()) {
            shapes.put(n, empty.shape(n));
            m.put(n, byName.get(n));
        }
        return Scores.ofSums(empty.criterion(), shapes, m, batches);
    }
}
