package dev.apoptosis.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.ops.AvgPool2d;
import dev.apoptosis.graph.ops.MaxPool2d;
import dev.apoptosis.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ceil-mode pooling against ONNX Runtime (the oracle): our MaxPool2d and AvgPool2d with ceilMode,
 * exported as MaxPool/AveragePool with ceil_mode = 1, give ONNX Runtime's outputs, on sizes where
 * the last window is partial. Not here: average pooling that counts the padding with a window
 * overhanging it, exported (as PyTorch exports it) as Pad + AveragePool: there ONNX Runtime differs
 * from PyTorch on PyTorch's own file (1.8e-3 relative, the {@code forms} fixture of
 * {@link TorchExportedImportTest}, where PyTorch is the oracle and ours agrees with it to 1.5e-8).
 */
class CeilModePoolingTest {
    @ParameterizedTest(name = "{0} k{1} s{2} p{3} in{4} includePad={5}")
    @CsvSource({
            "max, 3, 2, 0, 4, false", "max, 3, 2, 1, 6, false", "max, 3, 3, 1, 5, false", "max, 2, 2, 0, 7, false",
            "avg, 3, 2, 0, 4, false", "avg, 3, 2, 1, 6, false", "avg, 3, 3, 1, 5, true", "avg, 2, 2, 0, 7, true",
    })
    void matchesOnnxRuntime(String kind, int k, int s, int p, int in, boolean includePad) throws Exception {
        int[] kk = {k, k}, ss = {s, s}, pp = {p, p};
        Op op = kind.equals("max") ? new MaxPool2d(kk, ss, pp, new int[] {1, 1}, true) : new AvgPool2d(kk, ss, pp, includePad, true);
        GraphBuilder b = new GraphBuilder("pool", 1);
        Graph g = b.build(b.add("pool", op, b.input("input", 2, in, in)));
        Tensor x = OnnxTesting.input(g, 3, 5);
        OnnxModel m = OnnxExport.toModel(g, Map.of(), OnnxExport.Options.defaults());
        float[] ort = OnnxTesting.runOrt(OnnxFile.encode(m), "input", x), ours = OnnxTesting.forward(g, x);
        assertEquals(ort.length, ours.length, "output sizes differ");
        assertTrue(OnnxTesting.maxAbsDiff(ours, ort) < 1e-6, "differs from ONNX Runtime by " + OnnxTesting.maxAbsDiff(ours, ort));
    }
}
