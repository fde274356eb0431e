package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench importance} reports a training step and every criterion, and refuses unknown criteria. */
class BenchImportanceCommandTest {
    @Test
    void reportsEveryCriterionAgainstATrainingStep() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "importance", "--model", "lenet5", "--width", "4", "--batch", "2",
                "--reps", "1", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(6, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("{\"name\":\"importance/train_step/lenet5-w4/batch2\""), lines.get(0));
        int i = 1;
        for (String c : List.of("magnitude", "taylor", "obd", "oba", "exact")) {
            String l = lines.get(i++);
            assertTrue(l.startsWith("{\"name\":\"importance/" + c + "/lenet5-w4/batch2\"") && l.contains("\"ratio\":")
                    && l.contains("\"cpu_ratio\":") && l.contains("\"peak_heap_mb\":"), l);
        }
    }

    @Test
    void unknownCriterionIsAnErrorNamingIt() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "importance", "--model", "lenet5", "--criteria", "oba,fisher");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown criterion 'fisher'"), r.err());
    }
}
