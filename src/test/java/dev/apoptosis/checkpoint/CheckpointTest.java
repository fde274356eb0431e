package dev.apoptosis.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.NodeDef;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint file: exact round trip, corruption and truncation detection, atomic replacement. */
class CheckpointTest {
    @TempDir
    Path dir;

    static Graph model() {
        GraphBuilder b = new GraphBuilder("mlp", 3);
        Node x = b.input("x", 12);
        Node h1 = b.add("relu1", new ReLU(), b.add("fc1", Linear.of(10), x));
        Node h2 = b.add("relu2", new ReLU(), b.add("fc2", new Linear(10, false), h1));
        return b.build(b.add("fc3", Linear.of(4), b.add("res", new Add(), h1, h2)));
    }

    static Checkpoint sample(Graph g) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.Meta.MODEL, "mlp");
        meta.put(Checkpoint.Meta.DATA, "digits");
        meta.put(Checkpoint.Meta.PROVENANCE, "unit test ünïcödé");
        Map<String, Tensor> mom = Map.of("fc1.weight", Tensor.randn(new Random(2), 1f, 10, 12));
        return Checkpoint.of(g, meta, new OptimizerState("sgd", 17, mom), progress());
    }

    /** Mid-epoch progress with the running figures and three finished epochs, the third without a test split. */
    static TrainingProgress progress() {
        return new TrainingProgress(3, 5, Map.of("lr", "0.1"), new EpochSoFar(320, 0.1 * 320, 250, 317, 12.25),
                List.of(new EpochRecord(1, 2.3, 0.11, 2.2, 0.12, 0.55, 61.5),
                        new EpochRecord(2, 1.1, 0.61, 1.2, 0.6, 0.95, 58.0),
                        new EpochRecord(3, 0.7, 0.81, Double.NaN, Double.NaN, Double.NaN, 0.0)));
    }

    @Test
    void roundTripIsBitIdenticalWithTheSameArchitecture() throws IOException {
        Graph g = model();
        // Special values must survive bit for bit, NaN payload included.
        g.parameter("fc3.bias").value().setAt(0, Float.intBitsToFloat(0x7fc12345));
        g.parameter("fc3.bias").value().setAt(1, Float.NEGATIVE_INFINITY);
        g.parameter("fc3.bias").value().setAt(2, -0f);
        g.parameter("fc3.bias").value().setAt(3, Float.MIN_VALUE);
        Checkpoint c = sample(g);
        Path f = dir.resolve("m.ckpt");
        c.write(f);
        Checkpoint r = Checkpoint.read(f);
        assertEquals(c.nodes(), r.nodes());
        assertEquals(c.graphName(), r.graphName());
        assertEquals(c.outputName(), r.outputName());
        assertEquals(c.metadata(), r.metadata());
        assertEquals(Long.toString(g.numParameters()), r.metadata().get(Checkpoint.Meta.PARAMS));
        assertEquals(c.state().keySet(), r.state().keySet());
        for (String k : c.state().keySet()) assertBitIdentical(c.state().get(k), r.state().get(k), k);
        assertEquals("sgd", r.optimizer().kind());
        assertEquals(17, r.optimizer().step());
        assertBitIdentical(c.optimizer().tensors().get("fc1.weight"), r.optimizer().tensors().get("fc1.weight"), "momentum");
        assertEquals(progress(), r.progress());
        assertEquals(12.25, r.progress().current().seconds());
        assertTrue(r.progress().history().get(1).hasTest());
        assertTrue(!r.progress().history().get(2).hasTest());

        Graph back = r.toGraph();
        assertEquals(g.toDefs(), back.toDefs());
        assertEquals(g.macs(), back.macs());
        for (var e : g.state().entrySet()) assertBitIdentical(e.getValue(), back.state().get(e.getKey()), e.getKey());
    }

    @Test
    void everyAttributeTypeRoundTrips() throws IOException {
        Attrs a = Attrs.builder().put("i", -7).put("ints", 1, 2, 3).put("d", 0.1 + 0.2).put("b", true).put("s", "text ✓")
                .put("empty", new int[0]).build();
        NodeDef def = new NodeDef("n", "Whatever", a, List.of("x"));
        NodeDef in = new NodeDef("x", "Input", Attrs.builder().put("shape", 4).build(), List.of());
        Checkpoint c = new Checkpoint(Map.of(), "g", "n", List.of(in, def), Map.of("t", Tensor.zeros(0, 3)), null, null);
        Path f = dir.resolve("attrs.ckpt");
        c.write(f);
        Checkpoint r = Checkpoint.read(f);
        assertEquals(List.of(in, def), r.nodes());
        assertEquals(0.1 + 0.2, r.nodes().get(1).attrs().getDouble("d"), 0);
        assertArrayEquals(new int[] {0, 3}, r.state().get("t").shape());
        assertNull(r.optimizer());
        assertNull(r.progress());
    }

    @Test
    void anyFlippedByteIsDetectedAndNamesTheFile() throws IOException {
        Path f = dir.resolve("good.ckpt");
        sample(model()).write(f);
        byte[] good = Files.readAllBytes(f);
        Random r = new Random(4);
        int[] positions = new int[40];
        positions[0] = 0; // magic
        positions[1] = 11; // version
        positions[2] = good.length - 1; // end magic
        positions[3] = good.length - 48; // payload length
        positions[4] = good.length - 30; // digest
        for (int i = 5; i < positions.length; i++) positions[i] = 16 + r.nextInt(good.length - 64);
        for (int pos : positions) {
            byte[] bad = good.clone();
            bad[pos] ^= (byte) (1 << r.nextInt(8));
            Path b = dir.resolve("bad.ckpt");
            Files.write(b, bad);
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(b), "flip at byte " + pos);
            assertTrue(e.getMessage().contains(b.toString()), e.getMessage());
            assertEquals(b, e.file());
        }
        Files.write(dir.resolve("payload.ckpt"), flip(good, 100));
        assertTrue(assertThrows(CheckpointException.class, () -> Checkpoint.read(dir.resolve("payload.ckpt")))
                .getMessage().contains("SHA-256"));
    }

    private static byte[] flip(byte[] b, int pos) {
        byte[] c = b.clone();
        c[pos] ^= 1;
        return c;
    }

    @Test
    void truncationAtAnyLengthIsDetected() throws IOException {
        Path f = dir.resolve("good.ckpt");
        sample(model()).write(f);
        byte[] good = Files.readAllBytes(f);
        int[] lengths = {0, 1, 8, 15, 16, 40, 63, 64, 65, good.length / 2, good.length - 49, good.length - 48, good.length - 1};
        for (int n : lengths) {
            Path t = dir.resolve("trunc.ckpt");
            Files.write(t, java.util.Arrays.copyOf(good, n));
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(t), "truncated to " + n);
            assertTrue(e.getMessage().contains("trunc.ckpt"), e.getMessage());
        }
        Path extra = dir.resolve("extra.ckpt");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
        Files.write(extra, longer);
        assertThrows(CheckpointException.class, () -> Checkpoint.read(extra));
        assertTrue(assertThrows(CheckpointException.class, () -> Checkpoint.read(dir.resolve("missing.ckpt")))
                .getMessage().contains("no such file"));
    }

    @Test
    void notACheckpointAndNewerVersionsAreNamedAsSuch() throws IOException {
        Path f = dir.resolve("text.ckpt");
        Files.writeString(f, "hello ".repeat(40));
        assertTrue(assertThrows(CheckpointException.class, () -> Checkpoint.read(f)).getMessage().contains("not an apoptosis checkpoint"));
        Path g = dir.resolve("v.ckpt");
        sample(model()).write(g);
        byte[] b = Files.readAllBytes(g);
        b[11] = 9;
        Files.write(g, b);
        assertTrue(assertThrows(CheckpointException.class, () -> Checkpoint.read(g)).getMessage().contains("version 9"));
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("model.ckpt");
        sample(model()).write(f);
        byte[] before = Files.readAllBytes(f);
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(e.getMessage().contains("disk full (simulated)") && e.getMessage().contains(f.toString()), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "temporary file left behind");
        }
        // A failure inside the encoder (an attribute of an unsupported type cannot exist in Attrs, so
        // use a tensor name that is too long) also leaves everything as it was.
        Checkpoint bad = new Checkpoint(Map.of(), "g", "x", List.of(), Map.of("x".repeat((1 << 20) + 1), Tensor.zeros(1)), null, null);
        assertThrows(IllegalArgumentException.class, () -> bad.write(f));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void newFilesAreWorldReadableAndReplacementsKeepPermissions() throws IOException {
        Path f = dir.resolve("p.ckpt");
        sample(model()).write(f);
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        sample(model()).write(f);
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void overwriteReplacesTheWholeFile() throws IOException {
        Path f = dir.resolve("m.ckpt");
        Graph g = model();
        sample(g).write(f);
        g.parameter("fc1.weight").value().fill(0.5f);
        sample(g).write(f);
        assertEquals(0.5f, Checkpoint.read(f).state().get("fc1.weight").at(7));
    }

    private static void assertBitIdentical(Tensor a, Tensor b, String what) {
        assertArrayEquals(a.shape(), b.shape(), what + " shape");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Float.floatToRawIntBits(a.at(i)), Float.floatToRawIntBits(b.at(i)), what + "[" + i + "]");
        }
    }

    @Test
    void historyMustBeConsecutiveEpochsEndingAtTheLastFinishedOne() {
        EpochRecord e1 = new EpochRecord(1, 1, 0.5, 1, 0.5, 0.9, 1), e2 = new EpochRecord(2, 1, 0.5, 1, 0.5, 0.9, 1);
        assertEquals(2, new TrainingProgress(2, 0, Map.of(), EpochSoFar.NONE, List.of(e1, e2)).history().size());
        assertEquals(1, new TrainingProgress(2, 0, Map.of(), EpochSoFar.NONE, List.of(e2)).history().size(),
                "a run resumed from a version-1 checkpoint keeps the epochs since");
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> new TrainingProgress(3, 0, Map.of(), EpochSoFar.NONE, List.of(e1, e2)));
        assertTrue(gap.getMessage().contains("consecutive"), gap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingProgress(2, 0, Map.of(), EpochSoFar.NONE, List.of(e2, e1)));
        assertThrows(IllegalArgumentException.class, () -> new TrainingProgress(2, 0, Map.of(), new EpochSoFar(1, 1, 1, 1, 1), List.of()),
                "an epoch boundary has no running figures");
        assertThrows(IllegalArgumentException.class, () -> new EpochSoFar(10, 1, 11, 11, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochRecord(0, 1, 1, 1, 1, 1, 1));
    }

    /** A file written by the build that wrote format version 1 (tools/fixtures/CheckpointV1Fixture.java). */
    @Test
    void readsFormatVersion1() throws IOException {
        Path v1 = Path.of("src/test/resources/fixtures/checkpoint/v1-mlp-digits.ckpt");
        assertEquals(1, java.nio.ByteBuffer.wrap(Files.readAllBytes(v1), 8, 4).getInt(), "the fixture is version 1");
        Checkpoint c = Checkpoint.read(v1);
        assertEquals("mlp", c.metadata().get(Checkpoint.Meta.MODEL));
        assertEquals(new TrainingProgress(1, 4, c.progress().config()), c.progress(), "no figures, no history");
        assertEquals("3", c.progress().config().get("epochs"));
        assertEquals(23 + 4, c.optimizer().step(), "one epoch of 23 batches and 4 more");
        Graph g = c.toGraph();
        assertEquals(c.state().keySet(), g.state().keySet());
    }
}
