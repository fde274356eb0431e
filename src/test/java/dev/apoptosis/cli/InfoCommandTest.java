package dev.apoptosis.cli;

import static dev.apoptosis.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.checkpoint.EpochSoFar;
import dev.apoptosis.checkpoint.OptimizerState;
import dev.apoptosis.checkpoint.TrainingProgress;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code apoptosis info}: every part of a checkpoint shown, as text and as JSON. */
class InfoCommandTest {
    @TempDir
    Path dir;

    /** A 12-10-4 MLP saved mid-way through epoch 3 of 5, after two recorded epochs (the second without a test split). */
    private Path checkpoint() throws IOException {
        GraphBuilder b = new GraphBuilder("net", 1);
        Node x = b.input("x", 12);
        Graph g = b.build(b.add("fc2", Linear.of(4), b.add("relu", new ReLU(), b.add("fc1", Linear.of(10), x))));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.Meta.MODEL, "tiny-mlp");
        meta.put(Checkpoint.Meta.DATA, "digits");
        meta.put(Checkpoint.Meta.TOP1, "0.875");
        meta.put(Checkpoint.Meta.EPOCH, "2");
        meta.put("note", "quote \" and tab\t");
        meta.put(Checkpoint.Meta.INPUT_MEAN, "0.4914,0.25");
        meta.put(Checkpoint.Meta.INPUT_STD, "0.247,1.0E-6");
        meta.put(Checkpoint.Meta.CLASSES, "cat\ndog, small\nfrog\nowl");
        meta.put(Checkpoint.Meta.PROVENANCE, "made by InfoCommandTest");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("epochs", "5");
        settings.put("lr", "0.1");
        TrainingProgress p = new TrainingProgress(2, 7, settings, new EpochSoFar(100, 50, 60, 90, 3),
                List.of(new EpochRecord(1, 1.5, 0.4, 1.25, 0.5, 0.9, 75), new EpochRecord(2, 0.75, 0.8, Double.NaN, Double.NaN, Double.NaN, 3725)));
        Path f = dir.resolve("net.ckpt");
        Checkpoint.of(g, meta, new OptimizerState("sgd", 33, Map.of()), p).write(f);
        return f;
    }

    @Test
    void describesModelProgressAndHistory() throws IOException {
        Path f = checkpoint();
        TrainCommandTest.Run r = run("info", f.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("tiny-mlp (graph net): 174 parameters, 160 MACs per sample, input [12], output [4]"), out);
        assertTrue(out.contains("2 of 5 epochs done, then 7 batches of epoch 3 (33 optimiser steps)"), out);
        assertTrue(out.contains("settings    epochs=5 lr=0.1"), out);
        assertTrue(out.contains("last test   top-1 87.50%"), out);
        assertTrue(out.contains("note=quote \" and tab\t"), out);
        assertTrue(out.contains("inputs      normalised per channel: mean [0.4914, 0.25], std [0.247, 1.0E-6]"), out);
        assertFalse(out.contains("input.mean="), "the normalisation is on its own line, not repeated as metadata:\n" + out);
        assertTrue(out.contains("classes     4: cat, dog, small, frog, owl"), out);
        assertFalse(out.contains("epoch=2"), "the position is on the training line, not repeated as metadata:\n" + out);
        assertTrue(out.matches("(?s).*\\n\\s+1\\s+1\\.5000\\s+40\\.00%\\s+1\\.2500\\s+50\\.00%\\s+90\\.00%\\s+0:01:15\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n\\s+2\\s+0\\.7500\\s+80\\.00%\\s+-\\s+-\\s+-\\s+1:02:05\\n.*"), out);
        assertTrue(out.contains("computing time of all 2 epochs: 1:03:20"), out);
        assertTrue(out.contains("best test top-1: 50.00% after epoch 1"), "epoch 2 has no test figures:\n" + out);
        assertFalse(out.contains("fc1"), "layers only with --layers");
        assertTrue(run("info", "--layers", f.toString()).out().matches("(?s).*fc1\\s+Linear\\s+\\[10\\].*"));
    }

    @Test
    void jsonHoldsTheSameFacts() throws IOException {
        TrainCommandTest.Run r = run("info", "--json", checkpoint().toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out().trim();
        assertTrue(out.startsWith("{") && out.endsWith("}") && out.lines().count() == 1, out);
        assertTrue(out.contains("\"parameters\":174,\"macs\":160,\"input\":[12],\"output\":[4]"), out);
        assertTrue(out.contains("\"note\":\"quote \\\" and tab\\t\""), out);
        assertTrue(out.contains("\"progress\":{\"epochsDone\":2,\"batch\":7,\"steps\":33,\"settings\":{\"epochs\":\"5\",\"lr\":\"0.1\"}"), out);
        assertTrue(out.contains("{\"epoch\":2,\"trainLoss\":0.75,\"trainTop1\":0.8,\"testLoss\":null,\"testTop1\":null,\"testTop5\":null,\"seconds\":3725.0}"), out);
    }

    @Test
    void saysWhenAnOlderFormatKeptNoHistory() {
        TrainCommandTest.Run r = run("info", "src/test/resources/fixtures/checkpoint/v1-mlp-digits.ckpt");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1 of 3 epochs done, then 4 batches of epoch 2"), r.out());
        assertTrue(r.out().contains("no per-epoch history (written by a build older than checkpoint format 2)"), r.out());
    }

    @Test
    void aRunResumedFromAnOlderFormatShowsTheEpochsSince() throws IOException {
        GraphBuilder b = new GraphBuilder("net", 1);
        Graph g = b.build(b.add("fc", Linear.of(2), b.input("x", 3)));
        TrainingProgress p = new TrainingProgress(5, 0, Map.of("epochs", "5"), EpochSoFar.NONE,
                List.of(new EpochRecord(4, 1, 0.5, 1, 0.5, 1, 60), new EpochRecord(5, 1, 0.5, 1, 0.5, 1, 60)));
        Path f = dir.resolve("since.ckpt");
        Checkpoint.of(g, Map.of(), null, p).write(f);
        String out = run("info", f.toString()).out();
        assertTrue(out.contains("computing time of epochs 4-5 (earlier ones were written by an older build): 0:02:00"), out);
    }

    @Test
    void aDamagedFileIsAnErrorNamingIt() throws IOException {
        Path f = checkpoint();
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 1;
        Files.write(f, b);
        TrainCommandTest.Run r = run("info", f.toString());
        assertEquals(2, r.code(), "the exit code of a bad input");
        assertTrue(r.err().contains(f.toString()) && r.err().contains("corrupted"), r.err());
        assertFalse(r.err().contains("\tat "), "a message, not a stack trace:\n" + r.err());
    }
}
