package dev.apoptosis.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scores merge by addition: for every criterion, the scores of two halves of a calibration set,
 * computed separately and merged, equal the scores of the whole (to float64 reassociation, 1e-12),
 * and bit for bit when the whole is merged from per-batch scores in the same order; plus the
 * accumulator's contract (copies, errors).
 */
class ScoresTest {
    @Test
    void mergingHalvesEqualsTheWhole() {
        Graph g = TestNets.cnnWithDropout(8);
        TestNets.randomize(g, 8);
        Tensor[] xs = new Tensor[4];
        int[][] ls = new int[4][];
        for (int b = 0; b < 4; b++) {
            xs[b] = TestNets.randn(50 + b, 3, 3, 6, 6);
            ls[b] = TestNets.labels(60 + b, 3, 3);
        }
        for (String name : Criteria.NAMES) {
            Criterion c = Criteria.create(name);
            Scores whole = c.newScores(g), first = c.newScores(g), second = c.newScores(g);
            Scores[] single = new Scores[4];
            for (int b = 0; b < 4; b++) {
                c.accumulate(g, xs[b], ls[b], whole);
                c.accumulate(g, xs[b], ls[b], b < 2 ? first : second);
                single[b] = c.newScores(g);
                c.accumulate(g, xs[b], ls[b], single[b]);
            }
            Scores merged = first.merge(second);
            Scores inOrder = single[0].merge(single[1]).merge(single[2]).merge(single[3]);
            assertEquals(4, merged.batches());
            assertEquals(2, first.batches(), "merge leaves its operands unchanged");
            for (String p : whole.names()) {
                double[] w = whole.sum(p), m = merged.sum(p);
                for (int i = 0; i < w.length; i++) assertEquals(w[i], m[i], 1e-12 * Math.abs(w[i]) + 1e-300, name + " " + p + "[" + i + "]");
                assertArrayEquals(w, inOrder.sum(p), 0, name + ": per-batch scores merged in order are the whole, bit for bit");
                assertArrayEquals(whole.mean(p), inOrder.mean(p), 0);
            }
        }
    }

    @Test
    void accumulatorContract() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("a.weight", new int[] {2, 3});
        shapes.put("a.bias", new int[] {2});
        Scores s = Scores.empty("oba", shapes);
        assertEquals(0, s.batches());
        assertThrows(IllegalStateException.class, () -> s.mean("a.bias"), "no mean before a batch");
        Map<String, double[]> b = new LinkedHashMap<>();
        b.put("a.weight", new double[] {1, 2, 3, 4, 5, 6});
        b.put("a.bias", new double[] {-1, 1});
        s.addBatch(b);
        s.addBatch(b);
        assertArrayEquals(new double[] {2, 4, 6, 8, 10, 12}, s.sum("a.weight"), 0);
        assertArrayEquals(new double[] {-1, 1}, s.mean("a.bias"), 0);
        assertArrayEquals(new int[] {2, 3}, s.shape("a.weight"));
        s.sum("a.bias")[0] = 99;
        assertEquals(-2, s.sum("a.bias")[0], "accessors return copies");
        assertError(() -> s.addBatch(Map.of("a.weight", new double[6])), "missing [a.bias]");
        assertEquals(2, s.batches(), "a refused batch adds nothing");
        Map<String, double[]> shortBias = new LinkedHashMap<>(b);
        shortBias.put("a.bias", new double[1]);
        assertError(() -> s.addBatch(shortBias), "a.bias has 2 entries");
        assertError(() -> s.merge(Scores.empty("exact", shapes)), "criterion 'exact'");
        assertError(() -> s.merge(Scores.empty("oba", Map.of("a.weight", new int[] {2, 3}))), "parameters differ");
        Map<String, int[]> other = new LinkedHashMap<>(shapes);
        other.put("a.weight", new int[] {3, 2});
        assertError(() -> s.merge(Scores.empty("oba", other)), "a.weight has shape [2, 3] here and [3, 2] there");
        assertError(() -> s.sum("b.weight"), "no parameter 'b.weight'");
    }

    private static void assertError(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' lacks '" + part + "'");
    }
}
