package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench elementwise} and {@code bench data} are reachable from the CLI and report as the other benches do. */
class BenchCommandsTest {
    @TempDir
    Path dir;

    @Test
    void benchListsEveryBenchmark() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "--help");
        assertEquals(0, r.code(), r.err());
        for (String sub : List.of("kernels", "train", "autodiff", "elementwise", "data")) {
            assertTrue(r.out().contains(" " + sub + " "), sub + " missing from:\n" + r.out());
        }
    }

    @Test
    void elementwiseRunsEveryCaseOnATinyBatchAsJson() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "elementwise", "--batch", "1", "--reps", "1", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(16, lines.size(), r.out());
        for (String l : lines) assertTrue(l.startsWith("{\"name\":\"") && l.contains("\"ms\":") && l.endsWith("}"), l);
        assertTrue(lines.get(0).startsWith("{\"name\":\"relu_fwd\""), lines.get(0));
        assertTrue(r.out().contains("\"name\":\"softmax_128x512\""), "rows scale with the batch: " + r.out());
    }

    @Test
    void elementwiseTextReportsNanosecondsPerValue() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "elementwise", "--batch", "1", "--reps", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().allMatch(l -> l.endsWith("ns/elem")), r.out());
    }

    @Test
    void badOptionsAreErrorsNamingTheOption() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "elementwise", "--batch", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("batch must be >= 1"), r.err());
        r = TrainCommandTest.run("bench", "data", "--reps", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--reps must be >= 1"), r.err());
    }

    @Test
    void dataWithoutTheDatasetsIsAClearError() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "data", "--root", dir.toString(), "--reps", "1");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(dir.toString()), r.err());
    }
}
