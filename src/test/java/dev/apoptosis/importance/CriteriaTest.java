package dev.apoptosis.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The factory, the options and which parameters each criterion scores. */
class CriteriaTest {
    @Test
    void everyNameCreatesItsCriterion() {
        for (String n : Criteria.NAMES) assertEquals(n, Criteria.create(n).name());
        assertError(() -> Criteria.create("fisher"), "unknown criterion 'fisher'", "magnitude, taylor, obd, oba, exact");
    }

    @Test
    void optionsAreCheckedAndInapplicableOnesRefused() {
        assertError(() -> Criteria.create("oba", CriterionOptions.builder().probes(3).build()),
                "criterion 'oba' does not use option probes", "it takes: delta0, self_unit_weight, other_unit_weight, seed, batchnorm");
        assertError(() -> Criteria.create("magnitude", CriterionOptions.builder().batchNorm(BatchNormStatistics.RUNNING).build()),
                "does not use option batchnorm");
        assertError(() -> CriterionOptions.builder().norm(3), "norm must be 1 or 2");
        assertError(() -> CriterionOptions.builder().probes(0), "probes must be at least 1");
        assertError(() -> CriterionOptions.builder().delta0(Double.NaN), "delta0 must be finite");
        assertError(() -> CriterionOptions.builder().set("probs=2"), "unknown criterion option 'probs'");
        assertError(() -> CriterionOptions.builder().set("probes", "two"), "probes: 'two' is not a number");
        assertError(() -> CriterionOptions.builder().set("batchnorm=train"), "batch or running");
        assertError(() -> CriterionOptions.builder().set("self_unit_weight=yes"), "true or false");
        assertError(() -> CriterionOptions.builder().set("probes"), "not of the form key=value");
        CriterionOptions o = CriterionOptions.builder().set("probes=4").set("batchnorm", "running").set("seed=9").build();
        assertEquals(4, o.probes());
        assertEquals(BatchNormStatistics.RUNNING, o.batchNorm());
        assertEquals(List.of("probes", "batchnorm", "seed"), List.copyOf(o.given()));
        assertEquals("obd", Criteria.create("obd", o).name());
    }

    @Test
    void obaScoresConvLinearOnlyAndExactEveryTrainableParameter() {
        Fixtures fx = Fixtures.load("importance/attention.txt");
        Graph g = TestNets.attention(fx);
        List<String> all = new ArrayList<>();
        for (Parameter p : g.parameters()) all.add(p.name());
        List<String> linear = new ArrayList<>();
        for (String n : all) if (List.of("q", "k", "v", "proj", "fc1", "fc2", "head").contains(n.substring(0, n.indexOf('.')))) linear.add(n);
        assertTrue(all.contains("cls.token") && all.contains("pos.embedding") && all.contains("ln1.weight"));
        assertEquals(all, List.copyOf(Criteria.create("exact").newScores(g).names()));
        for (String n : List.of("oba", "obd", "taylor", "magnitude")) {
            assertEquals(linear, List.copyOf(Criteria.create(n).newScores(g).names()), n);
        }
    }

    @Test
    void dataCriteriaRefuseAMissingBatch() {
        Graph g = TestNets.mlp(1);
        Criterion c = Criteria.create("oba");
        assertError(() -> c.accumulate(g, null, null, c.newScores(g)), "needs a calibration batch");
        assertError(() -> c.accumulate(g, TestNets.randn(1, 3, 6), new int[] {0, 1}, c.newScores(g)), "2 labels for a batch of shape [3, 6]");
    }

    private static void assertError(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks '" + p + "'");
    }
}
