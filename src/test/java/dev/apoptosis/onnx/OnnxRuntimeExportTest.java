package dev.apoptosis.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every zoo model, exported, runs in ONNX Runtime (the oracle) and gives our own EVAL outputs
 * within 1e-4 relative, with BatchNorm written as BatchNormalization and folded into the
 * convolutions. Norm layers get random statistics first, so a dropped or mis-folded one shows.
 */
class OnnxRuntimeExportTest {
    @ParameterizedTest(name = "{0} {1} fold-bn={2}")
    @CsvSource({
            "mlp, '1,12,12', false",
            "lenet5, '1,28,28', false",
            "resnet20, '3,16,16', false",
            "resnet20, '3,16,16', true",
            "vgg11, '3,32,32', true",
            "vgg11, '3,32,32', false",
            "resnet50, '3,32,32', true",
            "vit, '3,16,16', false",
    })
    void zooModelMatchesOnnxRuntime(String model, String input, boolean fold) throws Exception {
        String[] s = input.split(",");
        int[] shape = {Integer.parseInt(s[0]), Integer.parseInt(s[1]), Integer.parseInt(s[2])};
        ModelOptions o = ModelOptions.defaults().withInput(shape).withSeed(3);
        if (model.equals("vit")) o = o.withWidth(64);
        if (model.equals("vgg11") || model.equals("resnet50")) o = o.withWidth(16);
        Graph g = ModelZoo.build(model, o);
        OnnxTesting.randomizeNorms(g, 5);
        Tensor x = OnnxTesting.input(g, 3, 7);
        float[] ours = OnnxTesting.forward(g, x);
        OnnxModel m = OnnxExport.toModel(g, Map.of("model", model), new OnnxExport.Options(fold, Map.of()));
        float[] ort = OnnxTesting.runOrt(OnnxFile.encode(m), g.inputs().get(0).name(), x);
        assertEquals(ours.length, ort.length);
        double rel = OnnxTesting.relativeDiff(ort, ours);
        System.out.printf("%s %s fold=%b: max abs diff %.3g, relative %.3g%n", model, input, fold, OnnxTesting.maxAbsDiff(ort, ours), rel);
        assertTrue(rel < 1e-4, model + ": ONNX Runtime differs from ours by " + rel + " relative");
    }

    /**
     * A masked model (what masked pruning leaves: a 0/1 mask per parameter) is written with the
     * masked weights as exact zeros, and ONNX Runtime computes what our graph computes with the masks
     * multiplied in.
     */
    @Test
    void maskedWeightsAreWrittenAsZeros() throws Exception {
        Graph g = ModelZoo.build("lenet5", ModelOptions.defaults().withInput(1, 28, 28).withSeed(9));
        Map<String, Tensor> masks = new HashMap<>();
        Random r = new Random(1);
        for (Parameter p : g.parameters()) {
            if (!p.spec().name().equals("weight")) continue;
            float[] m = new float[p.size()];
            for (int i = 0; i < m.length; i++) m[i] = r.nextBoolean() ? 1f : 0f;
            masks.put(p.name(), Tensor.wrap(m, p.value().shape()));
        }
        OnnxModel model = OnnxExport.toModel(g, Map.of(), new OnnxExport.Options(false, masks));
        int zeros = 0;
        for (OnnxTensor t : model.graph().initializers()) {
            Tensor m = masks.get(t.name());
            if (m == null) continue;
            double[] v = t.values();
            for (int i = 0; i < v.length; i++) {
                if (m.at(i) == 0) {
                    assertEquals(0.0, v[i], 0.0, t.name() + "[" + i + "] is masked but not zero");
                    zeros++;
                } else {
                    assertEquals(g.parameter(t.name()).value().at(i), (float) v[i], 0f);
                }
            }
        }
        assertTrue(zeros > 1000, "only " + zeros + " masked weights seen");
        Tensor x = OnnxTesting.input(g, 2, 3);
        float[] ort = OnnxTesting.runOrt(OnnxFile.encode(model), "input", x);
        for (Map.Entry<String, Tensor> e : masks.entrySet()) {
            Tensor v = g.parameter(e.getKey()).value();
            for (int i = 0; i < v.size(); i++) v.setAt(i, v.at(i) * e.getValue().at(i));
        }
        assertTrue(OnnxTesting.relativeDiff(ort, OnnxTesting.forward(g, x)) < 1e-5);

        // A masked-pruned graph's own masks apply without options: its export is the same file.
        Graph h = ModelZoo.build("lenet5", ModelOptions.defaults().withInput(1, 28, 28).withSeed(9));
        h.applyMasks(masks);
        assertArrayEquals(OnnxFile.encode(model), OnnxFile.encode(OnnxExport.toModel(h, Map.of(), OnnxExport.Options.defaults())));
    }
}
