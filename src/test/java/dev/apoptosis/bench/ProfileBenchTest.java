package dev.apoptosis.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.bench.ProfileBench.Profile;
import dev.apoptosis.bench.ProfileBench.Row;
import dev.apoptosis.bench.ProfileBench.RowKey;
import dev.apoptosis.graph.Node;
import dev.apoptosis.tensor.Parallel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ProfileBench}: each timed step's rows add up to its wall and CPU time exactly and none is
 * negative; the rule rows are exactly the rules the pass runs, counted per op kind and phase; the
 * 1-vs-N comparison restores the thread count.
 */
class ProfileBenchTest {

    /** Non-input nodes per op kind of a zoo model, as {@link RandomCifarStep} builds it. */
    private static Map<String, Integer> kinds(String model) {
        Map<String, Integer> m = new HashMap<>();
        for (Node n : new RandomCifarStep(model, 1).graph.nodes()) if (!n.isInput()) m.merge(n.op().kind(), 1, Integer::sum);
        return m;
    }

    /** {@code expected}: phase -> op kind -> nodes whose rule runs in that phase. */
    private static void assertConsistent(Profile p, Map<String, Map<String, Integer>> expected) {
        for (ProfileBench.Sample s : p.samples()) {
            long wall = 0, cpu = 0, workers = 0;
            for (Map.Entry<RowKey, long[]> e : s.rows().entrySet()) {
                long[] a = e.getValue();
                assertTrue(a[0] >= 0, "negative wall time in " + e.getKey());
                assertTrue(a[1] >= 0, "negative CPU time in " + e.getKey());
                assertTrue(a[3] >= 0 && a[3] <= a[1], "worker CPU time not within the row's CPU time in " + e.getKey());
                wall += a[0];
                cpu += a[1];
                workers += a[3];
            }
            assertEquals(s.stepNanos(), wall, "rows of one step add up to its wall time");
            assertEquals(s.stepCpuNanos(), cpu, "rows of one step add up to its CPU time");
            assertEquals(s.stepWorkerCpuNanos(), workers, "rows of one step add up to its worker CPU time");
        }
        Map<String, Map<String, Integer>> seen = new HashMap<>();
        for (Row r : p.rows()) {
            assertTrue(r.ms() >= 0 && r.ms() <= p.stepMs(), r + " vs step " + p.stepMs());
            if (!r.key().kind().equals(ProfileBench.OUTSIDE_RULES)) {
                seen.computeIfAbsent(r.key().phase(), k -> new HashMap<>()).put(r.key().kind(), r.nodes());
            }
        }
        assertEquals(expected, seen);
    }

    @Test
    void trainingStepRowsAddUpAndCountEveryNode() {
        Profile p = ProfileBench.run("lenet5", 4, ProfileBench.Step.TRAIN, 1, 3);
        assertEquals(3, p.samples().size());
        assertEquals(Parallel.threads(), p.threads());
        Map<String, Integer> k = kinds("lenet5");
        assertConsistent(p, Map.of("forward", k, "backward", k));
        for (String seg : List.of("forward", "loss", "backward", "sgd update", "close")) {
            assertNotNull(p.row(ProfileBench.OUTSIDE_RULES, seg), seg);
        }
    }

    @Test
    void curvaturePassCountsTheRulesItRuns() {
        Profile p = ProfileBench.run("mlp", 4, ProfileBench.Step.HVP, 0, 1);
        // The MLP's Flatten precedes every parameter: neither the direction nor any adjoint reaches it,
        // and without the gradient the first Linear's backward has nothing to deliver.
        Map<String, Integer> all = kinds("mlp");
        assertEquals(Map.of("Flatten", 1, "Linear", 3, "ReLU", 2), all);
        Map<String, Integer> reached = Map.of("Linear", 3, "ReLU", 2);
        assertConsistent(p, Map.of("forward", all, "tangent", reached, "rBackward", reached,
                "backward", Map.of("Linear", 2, "ReLU", 2)));
        for (String seg : List.of("forward", "loss", "direction", "curvature product", "close")) {
            assertNotNull(p.row(ProfileBench.OUTSIDE_RULES, seg), seg);
        }
    }

    @Test
    void compareAlternatesOneAndNThreadsAndRestoresTheCount() {
        int before = Parallel.threads();
        List<Profile> ps = ProfileBench.compare("lenet5", 4, ProfileBench.Step.TRAIN, 0, 2, 3);
        assertEquals(before, Parallel.threads());
        assertEquals(1, ps.get(0).threads());
        assertEquals(3, ps.get(1).threads());
        Map<String, Integer> k = kinds("lenet5");
        for (Profile p : ps) assertConsistent(p, Map.of("forward", k, "backward", k));
        String text = ProfileFormat.compareText(ps.get(0), ps.get(1));
        assertTrue(text.contains("ms@3") && text.contains("speedup") && text.contains("step (median)"), text);
        assertThrows(IllegalArgumentException.class, () -> ProfileBench.compare("lenet5", 4, ProfileBench.Step.TRAIN, 0, 1, 1));
    }
}
