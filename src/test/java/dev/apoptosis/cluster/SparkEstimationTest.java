package dev.apoptosis.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.Scores;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.prune.Calibration;
import dev.apoptosis.prune.LocalEstimation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Importance on {@code local[2]} against the single-machine oracle: for every criterion the float64
 * sums are bit-identical ({@code assertArrayEquals} without tolerance), because both sides add the
 * same block sums in the same order. Ten batches make three blocks, the last a short one.
 */
class SparkEstimationTest {
    private static ClusterSession cluster;
    private static DataSplits digits;
    private static Graph model;

    @BeforeAll
    static void start() throws IOException {
        digits = DataSpec.parse("digits-bundled").load();
        // The demo's BatchNorm CNN: BatchNorm makes the batch-statistics path of every criterion count.
        model = ModelZoo.build("digits-cnn", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(8).withSeed(5));
        cluster = Cluster.open("local[2]", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"magnitude", "taylor", "obd", "oba", "exact"})
    void clusterScoresEqualSingleMachineScoresBitForBit(String name) {
        Criterion c = Criteria.create(name);
        Calibration cal = new Calibration(2, 10, 32, 7);
        Scores local = new LocalEstimation(digits).estimate(model, c, cal);
        Scores spread = cluster.estimation(digits, "digits-bundled", name, List.of()).estimate(model, c, cal);
        assertEquals(c.needsData() ? 10 : 1, spread.batches());
        assertEquals(local.batches(), spread.batches());
        assertEquals(List.copyOf(local.names()), List.copyOf(spread.names()));
        for (String p : local.names()) assertArrayEquals(local.sum(p), spread.sum(p), name + " " + p);
    }

    @Test
    void aResidualNetworkScoresBitForBitAndAGraphInAnotherNodeOrderIsRefused() {
        // A zoo ResNet lists its shortcut after the block's second conv; a rebuilt one (what the Pruner
        // scores, and what executors decode) in Kahn order. The rebuilt one is scored identically.
        Graph zoo = ModelZoo.build("resnet20", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(4).withSeed(2));
        Graph rebuilt = zoo.rebuild(java.util.Map.of(), java.util.Map.of());
        Criterion c = Criteria.create("oba");
        Calibration cal = new Calibration(1, 8, 32, 5);
        Scores local = new LocalEstimation(digits).estimate(rebuilt, c, cal);
        Scores spread = cluster.estimation(digits, "digits-bundled", "oba", List.of()).estimate(rebuilt, c, cal);
        for (String p : local.names()) assertArrayEquals(local.sum(p), spread.sum(p), p);
        var e = assertThrows(IllegalArgumentException.class,
                () -> cluster.estimation(digits, "digits-bundled", "oba", List.of()).estimate(zoo, c, cal));
        assertTrue(e.getMessage().contains("not in the node order the executors rebuild it in"), e.getMessage());
    }

    @Test
    void blockOrderIsTheCanonicalOrderNotTheNaiveRunningSum() {
        // The oracle is only meaningful if the blocks are really summed separately: the block sums
        // added in order equal what LocalEstimation returns, by construction of Calibration.
        Criterion c = Criteria.create("taylor");
        Calibration cal = new Calibration(1, 9, 16, 3);
        Scores local = new LocalEstimation(digits).estimate(model, c, cal);
        int available = cal.available(digits);
        Scores total = c.newScores(model);
        for (int b = 0; b < Calibration.blocks(available); b++) total.addAll(cal.block(model, c, digits, b, available));
        for (String p : local.names()) assertArrayEquals(total.sum(p), local.sum(p), p);
        assertEquals(9, total.batches());
    }

    @Test
    void dataMissingOnTheExecutorsIsAClearErrorNotAHang() {
        // The driver has its data; the executors are told to read a folder that does not exist.
        Criterion c = Criteria.create("taylor");
        var e = assertThrows(IllegalStateException.class, () -> cluster.estimation(digits, "folder:/nonexistent/apoptosis-data", "taylor",
                List.of()).estimate(model, c, new Calibration(1, 4, 16, 0)));
        assertTrue(e.getMessage().contains("cannot read data 'folder:/nonexistent/apoptosis-data'"), e.getMessage());
        assertTrue(e.getMessage().contains("executor on "), e.getMessage());
    }
}
