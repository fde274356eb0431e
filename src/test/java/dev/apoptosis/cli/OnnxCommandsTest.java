package dev.apoptosis.cli;

import static dev.apoptosis.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.onnx.OnnxFile;
import dev.apoptosis.onnx.OnnxModel;
import dev.apoptosis.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} and {@code import} in-process: a checkpoint goes out with its metadata (and any
 * other key, such as a pruning record, unchanged) and comes back computing the same outputs; the
 * import options set class names and normalisation; errors are one line without a stack trace.
 */
class OnnxCommandsTest {
    @TempDir
    Path dir;

    private Path checkpoint() throws Exception {
        Graph g = ModelZoo.build("lenet5", ModelOptions.defaults().withClasses(3).withInput(1, 28, 28).withSeed(4));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.Meta.MODEL, "lenet5");
        meta.put(Checkpoint.Meta.DATA, "fashion-mnist");
        meta.put(Checkpoint.Meta.INPUT_MEAN, "0.286");
        meta.put(Checkpoint.Meta.INPUT_STD, "0.353");
        meta.put(Checkpoint.Meta.CLASSES, "shirt\ncoat\nbag");
        meta.put("prune.criterion", "oba"); // any key travels, so later provenance needs no code here
        Path f = dir.resolve("lenet.ckpt");
        Checkpoint.of(g, meta, null, null).write(f);
        return f;
    }

    private static float[] forward(Graph g, Tensor x) {
        try (Pass p = Pass.forward(g, x, Mode.EVAL)) {
            return p.output().toArray();
        }
    }

    @Test
    void exportThenImportKeepsOutputsAndMetadata() throws Exception {
        Path ckpt = checkpoint(), onnx = dir.resolve("out/lenet.onnx"), back = dir.resolve("back.ckpt");
        TrainCommandTest.Run r = run("export", ckpt.toString(), "--out", onnx.toString(), "--fold-bn");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("exported"), r.out());
        OnnxModel m = OnnxFile.read(onnx);
        assertEquals("shirt\ncoat\nbag", m.metadata().get("classes"));
        assertEquals("oba", m.metadata().get("prune.criterion"));
        assertEquals("0.286", m.metadata().get("input.mean"));
        assertEquals(17L, m.defaultOpset());

        r = run("import", onnx.toString(), "--out", back.toString());
        assertEquals(0, r.code(), r.err());
        Checkpoint c = Checkpoint.read(back);
        assertEquals("shirt\ncoat\nbag", c.metadata().get("classes"));
        assertEquals("0.353", c.metadata().get("input.std"));
        assertEquals("oba", c.metadata().get("prune.criterion"));
        Tensor x = Tensor.randn(new Random(1), 1f, 2, 1, 28, 28);
        assertArrayEquals(forward(Checkpoint.readGraph(ckpt), x), forward(c.toGraph(), x), 0f);

        r = run("info", back.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("shirt"), r.out());
        r = run("groups", onnx.toString()); // ... and by groups
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("prunable"), r.out());
        r = run("info", onnx.toString()); // an ONNX file is taken wherever a checkpoint is
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("shirt") && r.out().contains("lenet5"), r.out());
    }

    @Test
    void importOptionsSetClassesAndNormalisation() throws Exception {
        Path ckpt = checkpoint(), onnx = dir.resolve("lenet.onnx"), back = dir.resolve("back.ckpt"), names = dir.resolve("names.txt");
        assertEquals(0, run("export", "--model", ckpt.toString(), "--out", onnx.toString()).code());
        Files.writeString(names, "a\nb\nc\n", StandardCharsets.UTF_8);
        TrainCommandTest.Run r = run("import", onnx.toString(), "--out", back.toString(), "--classes", names.toString(),
                "--mean", "0.5", "--std", "0.25");
        assertEquals(0, r.code(), r.err());
        Checkpoint c = Checkpoint.read(back);
        assertEquals("a\nb\nc", c.metadata().get("classes"));
        assertEquals("0.5", c.metadata().get("input.mean"));

        Files.writeString(names, "a\nb\n", StandardCharsets.UTF_8);
        r = run("import", onnx.toString(), "--out", back.toString(), "--classes", names.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("names 2 classes") && r.err().contains("[3]"), r.err());
        r = run("import", onnx.toString(), "--out", back.toString(), "--mean", "0.5,0.5,0.5", "--std", "1,1,1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("need 1 values"), r.err());
    }

    @Test
    void badFilesAreOneLineErrorsNamingTheFile() throws Exception {
        Path junk = dir.resolve("junk.onnx"), out = dir.resolve("x.ckpt");
        Files.write(junk, new byte[] {0x3a, 0x7f, 1, 2, 3});
        TrainCommandTest.Run r = run("import", junk.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: ONNX model " + junk), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));
        r = run("import", dir.resolve("missing.onnx").toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no such file"), r.err());
        r = run("export", "--out", dir.resolve("y.onnx").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("either as FILE or as --model"), r.err());
    }
}
