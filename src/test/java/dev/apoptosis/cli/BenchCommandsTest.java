package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench elementwise}, {@code bench data} and {@code bench profile} are reachable from the CLI and report as the other benches do. */
class BenchCommandsTest {
    @TempDir
    Path dir;

    /** {@code --threads} applies while its command runs, and the caller's count is back afterwards, also after an error. */
    @Test
    void threadsApplyToTheirCommandOnly() {
        int before = dev.apoptosis.tensor.Parallel.threads(), other = before == 3 ? 4 : 3;
        TrainCommandTest.Run r = TrainCommandTest.run("--threads", Integer.toString(other), "bench", "profile", "--model", "mlp",
                "--batch", "2", "--reps", "1", "--warmup", "0", "--compare-threads");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("threads 1 vs " + other), "the command ran with --threads " + other + ":\n" + r.out());
        assertEquals(before, dev.apoptosis.tensor.Parallel.threads());
        r = TrainCommandTest.run("--threads", Integer.toString(other), "bench", "kernels", "--reps", "0");
        assertTrue(r.code() != 0);
        assertEquals(before, dev.apoptosis.tensor.Parallel.threads());
        r = TrainCommandTest.run("--threads", "0", "info", "x.ckpt");
        assertTrue(r.code() != 0 && r.err().contains("--threads must be between 1 and") && r.err().contains("got 0"), r.err());
    }

    @Test
    void benchListsEveryBenchmark() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "--help");
        assertEquals(0, r.code(), r.err());
        for (String sub : List.of("kernels", "train", "autodiff", "elementwise", "data", "profile", "importance")) {
            assertTrue(r.out().contains(" " + sub + " "), sub + " missing from:\n" + r.out());
        }
    }

    @Test
    void elementwiseRunsEveryCaseOnATinyBatchAsJson() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "elementwise", "--batch", "1", "--reps", "1", "--warmup-seconds", "0", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(16, lines.size(), r.out());
        for (String l : lines) assertTrue(l.startsWith("{\"name\":\"") && l.contains("\"ms\":") && l.endsWith("}"), l);
        assertTrue(lines.get(0).startsWith("{\"name\":\"relu_fwd\""), lines.get(0));
        assertTrue(r.out().contains("\"name\":\"softmax_128x512\""), "rows scale with the batch: " + r.out());
    }

    @Test
    void elementwiseTextReportsNanosecondsPerValue() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "elementwise", "--batch", "1", "--reps", "1", "--warmup-seconds", "0");
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

    @Test
    void profilePrintsATableWhoseRowsAddUpToTheStep() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "profile", "--model", "lenet5", "--batch", "2", "--reps", "1", "--warmup", "0");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("profile/train/lenet5/batch2  threads="), lines.get(0));
        assertTrue(lines.get(1).matches("kind +phase +nodes +ms/step +% step +cpu ms +wrk %"), lines.get(1));
        assertTrue(r.out().contains("\nConv2d           forward                2 "), r.out());
        assertTrue(r.out().contains("\nConv2d           backward               2 "), r.out());
        assertTrue(r.out().contains("(outside rules)  sgd update"), r.out());
        // One timed step: the rows add up to it (up to the printed rounding).
        double sum = Double.parseDouble(lines.get(lines.size() - 2).trim().split(" +")[3]);
        double step = Double.parseDouble(lines.get(lines.size() - 1).trim().split(" +")[2]);
        assertTrue(lines.get(lines.size() - 1).startsWith("step (median)"), r.out());
        assertEquals(step, sum, 0.02, r.out());
    }

    @Test
    void profileJsonHasOneObjectPerRowAndTheStepLast() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "profile", "--model", "mlp", "--batch", "2", "--reps", "1",
                "--warmup", "0", "--pass", "hvp", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        for (String l : lines) assertTrue(l.startsWith("{\"name\":\"profile/hvp/mlp/batch2\",\"threads\":") && l.endsWith("}"), l);
        assertTrue(r.out().contains("\"kind\":\"Linear\",\"phase\":\"rBackward\",\"nodes\":3,"), r.out());
        assertTrue(r.out().contains("\"kind\":\"(outside rules)\",\"phase\":\"curvature product\""), r.out());
        assertTrue(lines.get(lines.size() - 1).contains("\"kind\":\"step\",\"ms\":"), lines.get(lines.size() - 1));
    }

    @Test
    void profileCompareThreadsPrintsSpeedups() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "profile", "--model", "mlp", "--batch", "2", "--reps", "1",
                "--warmup", "0", "--threads", "2", "--compare-threads");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("threads 1 vs 2") && r.out().contains("ms@2") && r.out().contains("speedup"), r.out());
    }

    @Test
    void profileByNodeHasOneRowPerNode() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "profile", "--model", "lenet5", "--batch", "2", "--reps", "1",
                "--warmup", "0", "--threads", "2", "--compare-threads", "--by-node");
        assertEquals(0, r.code(), r.err());
        long convForward = r.out().lines().filter(l -> l.contains("(Conv2d)") && l.contains("forward")).count();
        assertEquals(2, convForward, "LeNet-5's two convolutions, one forward row each:\n" + r.out());
        assertTrue(r.out().contains("(Linear)") && r.out().contains("speedup"), r.out());
    }

    @Test
    void kernelsRejectsZeroReps() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "kernels", "--reps", "0");
        assertTrue(r.code() != 0 && r.err().contains("--reps must be >= 1"), r.err());
    }

    @Test
    void kernelsRejectsANegativeWarmUp() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "kernels", "--warmup-seconds", "-1");
        assertTrue(r.code() != 0 && r.err().contains("--warmup-seconds must be a finite number >= 0, got -1.0"), r.err());
    }

    @Test
    void profileBadOptionsAreErrors() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "profile", "--model", "mlp", "--pass", "sideways");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--pass must be train, hvp or infer, got 'sideways'"), r.err());
        r = TrainCommandTest.run("bench", "profile", "--model", "mlp", "--threads", "1", "--compare-threads");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--compare-threads needs --threads >= 2"), r.err());
        r = TrainCommandTest.run("bench", "profile", "--model", "nonet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'nonet' is neither a zoo model nor a file"), r.err());
        r = TrainCommandTest.run("bench", "profile", "--reps", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--reps must be >= 1"), r.err());
    }
}
