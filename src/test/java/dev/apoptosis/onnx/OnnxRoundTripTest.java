package dev.apoptosis.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpRegistry;
import dev.apoptosis.graph.ops.Embedding;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Export → import gives back the same network: the same op kinds in the same order (apart from
 * the view nodes the ONNX form needs), the same parameter count and MACs, and bit-identical
 * outputs; the metadata comes back; and the re-exported file gives ONNX Runtime the original's
 * outputs.
 */
class OnnxRoundTripTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"mlp, '1,12,12'", "lenet5, '1,28,28'", "resnet20, '3,16,16'", "vgg11, '3,32,32'", "vit, '3,16,16'"})
    void exportThenImportIsTheSameNetwork(String model, String input) throws Exception {
        String[] s = input.split(",");
        ModelOptions o = ModelOptions.defaults().withInput(Integer.parseInt(s[0]), Integer.parseInt(s[1]), Integer.parseInt(s[2])).withSeed(11);
        if (model.equals("vit")) o = o.withWidth(64);
        if (model.equals("vgg11")) o = o.withWidth(16);
        Graph g = ModelZoo.build(model, o);
        OnnxTesting.randomizeNorms(g, 2);
        byte[] bytes = OnnxFile.encode(OnnxExport.toModel(g, Map.of("classes", "a\nb", "input.mean", "0.5"), OnnxExport.Options.defaults()));
        OnnxImport.Result r = OnnxImport.toGraph(OnnxFile.decode(Path.of(model + ".onnx"), bytes), Path.of(model + ".onnx"));
        Graph back = r.graph();
        assertEquals("a\nb", r.metadata().get("classes"));
        assertEquals("0.5", r.metadata().get("input.mean"));
        assertEquals(g.numParameters(), back.numParameters());
        assertEquals(g.macs(), back.macs());
        assertEquals(kinds(g), kinds(back));
        for (Node n : g.nodes()) {
            String k = n.op().kind();
            if (!k.equals("Flatten") && !k.equals("Reshape") && !k.equals("Dropout")) {
                assertEquals(k, back.node(n.name()).op().kind(), "node " + n.name() + " comes back under its name");
            }
        }
        Tensor x = OnnxTesting.input(g, 2, 4);
        float[] ours = OnnxTesting.forward(g, x), again = OnnxTesting.forward(back, x);
        assertArrayEquals(ours, again, model + ": the imported network computes something else");

        byte[] reexported = OnnxFile.encode(OnnxExport.toModel(back, r.metadata(), OnnxExport.Options.defaults()));
        float[] ortOriginal = OnnxTesting.runOrt(bytes, g.inputs().get(0).name(), x);
        float[] ortAgain = OnnxTesting.runOrt(reexported, back.inputs().get(0).name(), x);
        assertTrue(OnnxTesting.relativeDiff(ortAgain, ortOriginal) < 1e-6, model + ": re-exported file differs in ONNX Runtime");
    }

    /** The exporter writes every op kind the engine registers: a new op without an ONNX form fails here. */
    @Test
    void everyRegisteredOpKindHasAnExport() {
        assertEquals(new java.util.TreeSet<>(OpRegistry.kinds()), new java.util.TreeSet<>(OnnxExport.KINDS));
    }

    /** An embedding (ids as floats) exports as Cast + Gather, runs in ONNX Runtime and imports back as an Embedding. */
    @Test
    void embeddingsGoOutAndComeBack() throws Exception {
        GraphBuilder b = new GraphBuilder("emb", 2);
        Node ids = b.input("ids", 5);
        Graph g = b.build(b.add("head", Linear.of(3), b.add("flat", new Flatten(), b.add("tok", new Embedding(10, 4), ids))));
        float[] v = new float[10];
        for (int i = 0; i < v.length; i++) v[i] = (i * 7) % 10;
        Tensor x = Tensor.wrap(v, 2, 5);
        byte[] bytes = OnnxFile.encode(OnnxExport.toModel(g, Map.of(), OnnxExport.Options.defaults()));
        float[] ours = OnnxTesting.forward(g, x);
        assertTrue(OnnxTesting.relativeDiff(OnnxTesting.runOrt(bytes, "ids", x), ours) < 1e-6);
        Graph back = OnnxImport.toGraph(OnnxFile.decode(Path.of("emb.onnx"), bytes), Path.of("emb.onnx")).graph();
        assertEquals(kinds(g), kinds(back));
        assertArrayEquals(ours, OnnxTesting.forward(back, x));
    }

    /** Op kinds, sorted (independent branches may come in another order), without the Flatten/Reshape view nodes an ONNX form may add or remove. */
    private static List<String> kinds(Graph g) {
        List<String> k = new ArrayList<>();
        for (Node n : g.nodes()) {
            String kind = n.op().kind();
            if (!kind.equals("Flatten") && !kind.equals("Reshape") && !kind.equals("Dropout")) k.add(kind);
        }
        k.sort(null);
        return k;
    }
}
