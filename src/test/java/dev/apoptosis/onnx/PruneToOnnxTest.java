package dev.apoptosis.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.cli.Main;
import dev.apoptosis.data.DataPaths;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prune --out X.onnx: the pruned model comes out as ONNX that ONNX Runtime runs like our graph, with its provenance. */
class PruneToOnnxTest {
    @TempDir
    Path dir;

    @Test
    void prunedModelIsWrittenAsOnnxAndRunsInOnnxRuntime() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(DataPaths.dataRoot().resolve("digits/digits.csv.gz")), "digits data absent");
        Path dense = dir.resolve("dense.ckpt");
        assertEquals(0, Main.newCommandLine().execute("train", "--model", "mlp", "--width", "32", "--data", "digits", "--epochs", "1",
                "--out", dense.toString(), "--progress", "quiet"));
        Path onnx = dir.resolve("pruned.onnx");
        assertEquals(0, Main.newCommandLine().execute("prune", "--model", dense.toString(), "--steps", "2", "--calib-batches", "2",
                "--out", onnx.toString()));
        Graph pruned = Checkpoint.readGraph(dir.resolve("pruned.ckpt"));
        assertTrue(pruned.macs() <= Checkpoint.readGraph(dense).macs() / 2);
        Checkpoint back = ModelFiles.read(onnx);
        assertTrue(back.metadata().containsKey("prune.history"), "provenance in the ONNX metadata: " + back.metadata().keySet());
        Tensor x = OnnxTesting.input(pruned, 3, 5);
        float[] ours = OnnxTesting.forward(pruned, x);
        float[] ort = OnnxTesting.runOrt(Files.readAllBytes(onnx), pruned.inputs().get(0).name(), x);
        assertTrue(OnnxTesting.relativeDiff(ort, ours) < 1e-5, "ONNX Runtime agrees: " + OnnxTesting.relativeDiff(ort, ours));
    }
}
