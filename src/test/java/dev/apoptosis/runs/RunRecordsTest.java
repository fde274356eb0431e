package dev.apoptosis.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is written comes back; what is malformed, missing or of another format is an error naming the file. */
class RunRecordsTest {
    @TempDir
    Path tmp;

    @Test
    void aFinishedPruneRunReadsBackWhole() throws IOException {
        Path d = RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 4, 4);
        RunRecords r = RunRecords.read(d);
        assertEquals("oba", r.info().criterion());
        assertEquals(4, r.steps().size());
        assertEquals(1, r.finetune().size());
        assertEquals(3, r.layers().size());
        assertEquals(16, r.layers().get(0).channelsBefore());
        assertEquals("conv1", r.steps().get(0).removals().get(0).group());
        assertFalse(r.interrupted());
        assertEquals("oba", r.label());
    }

    @Test
    void aRecordThatIsAFifoOrNotTextIsRefusedByName() throws Exception {
        Path d = RunFixtures.prune(tmp.resolve("odd"), "oba", List.of(0.5), 2, 2);
        Path steps = d.resolve(RunDirectory.STEPS);
        Files.write(steps, new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'});
        RunFormatException e = assertThrows(RunFormatException.class, () -> RunRecords.read(d));
        assertTrue(e.getMessage().contains(steps.toString()) && e.getMessage().contains("not UTF-8"), e.getMessage());
        Files.delete(steps);
        assertEquals(0, new ProcessBuilder("mkfifo", steps.toString()).start().waitFor());
        e = assertThrows(RunFormatException.class, () -> RunRecords.read(d));   // would block forever if opened
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void anInterruptedPruneRunIsReadAsFarAsItGot() throws IOException {
        RunRecords r = RunRecords.read(RunFixtures.prune(tmp.resolve("cut"), "oba", List.of(0.5), 5, 2));
        assertTrue(r.interrupted());
        assertEquals(2, r.steps().size());
        assertNull(r.layers());
        assertTrue(r.finetune().isEmpty());
    }

    @Test
    void aTrainingRunKeepsItsEpochs() throws IOException {
        RunRecords r = RunRecords.read(RunFixtures.train(tmp.resolve("train"), 3, 3));
        assertEquals(3, r.epochs().size());
        assertTrue(Double.isNaN(r.info().top1Before()), "NaN survives the round trip");
        assertFalse(r.interrupted());
        assertTrue(RunRecords.read(RunFixtures.train(tmp.resolve("half"), 4, 2)).interrupted());
    }

    @Test
    void aSecondRunIntoTheSameFolderIsRefused() throws IOException {
        Path d = RunFixtures.train(tmp.resolve("t"), 1, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> RunFixtures.train(d, 1, 1));
        assertTrue(e.getMessage().contains("already holds a run"), e.getMessage());
    }

    @Test
    void missingRunJsonIsNamed() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("empty"));
        var e = assertThrows(RunFormatException.class, () -> RunRecords.read(d));
        assertTrue(e.getMessage().startsWith(d.resolve("run.json") + ": missing"), e.getMessage());
        var f = assertThrows(RunFormatException.class, () -> RunRecords.read(tmp.resolve("nowhere")));
        assertTrue(f.getMessage().contains("not a directory"), f.getMessage());
    }

    @Test
    void anUnknownFormatIsRefused() throws IOException {
        Path d = RunFixtures.train(tmp.resolve("t"), 1, 1);
        Path run = d.resolve("run.json");
        Files.writeString(run, Files.readString(run).replace("\"format\" : 1", "\"format\" : 2"));
        var e = assertThrows(RunFormatException.class, () -> RunRecords.read(d));
        assertTrue(e.getMessage().contains(run + ": format 2 is not one this version reads (1)"), e.getMessage());
    }

    @Test
    void aMalformedLineIsNamedWithItsNumber() throws IOException {
        Path d = RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 4, 4);
        Path steps = d.resolve("steps.jsonl");
        List<String> lines = Files.readAllLines(steps);
        lines.set(2, lines.get(2).substring(0, 20));
        Files.write(steps, lines);
        var e = assertThrows(RunFormatException.class, () -> RunRecords.read(d));
        assertTrue(e.getMessage().startsWith(steps + ":3: not a StepRecord"), e.getMessage());
    }

    @Test
    void aMissingFieldIsAnErrorNotAZero() throws IOException {
        Path d = RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 2, 2);
        Path ft = d.resolve("finetune.jsonl");
        Files.writeString(ft, "{\"target\":0.5,\"top1_pruned\":0.5,\"epochs\":1,\"macs\":5,\"params\":5}\n", StandardCharsets.UTF_8);
        var e = assertThrows(RunFormatException.class, () -> RunRecords.read(d));
        assertTrue(e.getMessage().startsWith(ft + ":1:") && e.getMessage().contains("top1_finetuned"), e.getMessage());
    }

    @Test
    void moreStepsThanAnnouncedMeansMixedRecords() throws IOException {
        Path d = RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 2, 2);
        Path steps = d.resolve("steps.jsonl");
        Files.writeString(steps, Files.readAllLines(steps).get(0) + "\n", StandardOpenOption.APPEND);
        var e = assertThrows(RunFormatException.class, () -> RunRecords.read(d));
        assertTrue(e.getMessage().contains("3 step records") && e.getMessage().contains("mixed"), e.getMessage());
    }
}
