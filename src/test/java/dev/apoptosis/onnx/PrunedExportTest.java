package dev.apoptosis.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.prune.DependencyGroups;
import dev.apoptosis.prune.Group;
import dev.apoptosis.prune.Surgery;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Fixtures;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.SgdConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Structured-pruned models go out through ONNX: every prunable dependency group loses a third of
 * its channels (graph surgery: smaller Conv, Linear, BatchNorm, LayerNorm and attention widths),
 * and ONNX Runtime runs the export with our outputs. Models imported from PyTorch's exporter go
 * the whole way the issue asks: imported, grouped, pruned, fine-tuned for a step, exported, run.
 */
class PrunedExportTest {
    /** Removes every third channel (0, 3, 6, ...) of every prunable group with at least three channels. */
    private static Graph pruneAThird(Graph g) {
        DependencyGroups groups = DependencyGroups.of(g);
        Map<Group, int[]> removals = new LinkedHashMap<>();
        for (Group group : groups.prunable()) {
            int c = group.channels();
            if (c < 3) continue;
            int[] idx = new int[(c + 2) / 3];
            for (int i = 0; i < idx.length; i++) idx[i] = 3 * i;
            removals.put(group, idx);
        }
        assertTrue(!removals.isEmpty(), "nothing to prune in " + g.name());
        return Surgery.remove(groups, removals).graph();
    }

    private static void assertOrtAgrees(Graph g, Tensor x, String what) throws Exception {
        float[] ours = OnnxTesting.forward(g, x);
        byte[] bytes = OnnxFile.encode(OnnxExport.toModel(g, Map.of(), OnnxExport.Options.defaults()));
        double rel = OnnxTesting.relativeDiff(OnnxTesting.runOrt(bytes, g.inputs().get(0).name(), x), ours);
        double scale = 0;
        for (float v : ours) scale = Math.max(scale, Math.abs(v));
        System.out.printf("%s: ONNX Runtime vs ours, relative %.3g (largest output %.3g)%n", what, rel, scale);
        assertTrue(scale > 1e-3, what + ": outputs are all (near) zero, which would prove nothing");
        assertTrue(rel < 1e-4, what + ": ONNX Runtime differs by " + rel);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet20, '3,16,16', 16", "vgg11, '3,32,32', 16", "vit, '3,16,16', 128"})
    void structuredPrunedZooModelsRunInOnnxRuntime(String model, String input, int width) throws Exception {
        String[] s = input.split(",");
        Graph g = ModelZoo.build(model, ModelOptions.defaults().withInput(Integer.parseInt(s[0]), Integer.parseInt(s[1]),
                Integer.parseInt(s[2])).withWidth(width).withSeed(2));
        OnnxTesting.randomizeNorms(g, 3);
        Graph pruned = pruneAThird(g);
        assertTrue(pruned.macs() < g.macs() * 0.8, model + ": " + g.macs() + " -> " + pruned.macs() + " MACs");
        assertOrtAgrees(pruned, OnnxTesting.input(pruned, 2, 5), model + " pruned (" + g.macs() + " -> " + pruned.macs() + " MACs)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"squeezenet1_1", "mobilenet_v2", "vit13", "mha17"})
    void importedModelsArePrunedFineTunedAndExported(String name) throws Exception {
        Path file = TorchExportedImportTest.resource(name + ".onnx");
        Graph g = OnnxImport.toGraph(OnnxFile.read(file), file).graph();
        Graph pruned = pruneAThird(g);
        assertTrue(pruned.macs() < g.macs(), name + ": pruning removed nothing");
        Tensor x = Fixtures.load("onnx/torch/" + name + ".txt").tensor("x");
        int classes = pruned.output().outputShape()[0];
        int[] labels = new int[x.dim(0)];
        for (int i = 0; i < labels.length; i++) labels[i] = (i + 1) % classes;
        try (Pass p = Pass.forward(pruned, Map.of(pruned.inputs().get(0).name(), x), Mode.TRAIN, 1L, true)) {
            p.loss(new SoftmaxCrossEntropy(), labels);
            new Sgd(pruned, new SgdConfig(0.9, 0, false)).step(p.backward(false).parameters(), 0.02);
        }
        assertOrtAgrees(pruned, x, name + " imported, pruned (" + g.macs() + " -> " + pruned.macs() + " MACs), fine-tuned");
    }
}
