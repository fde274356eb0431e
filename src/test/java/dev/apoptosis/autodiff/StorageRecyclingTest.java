package dev.apoptosis.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Recycler;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A closed pass gives its storage back to the {@link Recycler} (see {@link Pass}): everything it handed
 * to the caller must keep its values while later passes write over what was given back, and later
 * passes must compute the same bits as the first. The suite runs with poisoned recycling
 * ({@code -Dapoptosis.poisonRecycled=true}, every array given back is filled with NaN) and recycles
 * arrays of any length, so a handed-out tensor that was wrongly given back shows as NaN here.
 */
class StorageRecyclingTest {
    private static final int[] LABELS = {1, 0, 4, 2};

    private static Graph model() {
        return ModelZoo.build("resnet20", new ModelOptions(5, new int[] {3, 8, 8}, 0, 0));
    }

    private static Map<String, Tensor> feed(Graph g, Tensor x) {
        return Map.of(g.inputs().get(0).name(), x);
    }

    /** Copies of what one pass hands out: output, a node's output, gradients, node adjoints, tangents, curvature. */
    private static Map<String, float[]> handedOut(Graph g, Tensor x, Map<String, Tensor> live) {
        Map<String, float[]> copies = new HashMap<>();
        try (Pass p = Pass.forward(g, feed(g, x), Mode.BATCH_STATS, 0L, true)) {
            p.loss(new SoftmaxCrossEntropy(), LABELS);
            live.put("output", p.output());
            live.put("node", p.nodeOutput("layer2.0.conv1"));
            Pass.Gradients gr = p.backward(true);
            for (int i = 0; i < gr.parameters().size(); i++) live.put("grad " + i, gr.parameters().get(i));
            gr.nodeAdjoints().forEach((k, v) -> live.put("adjoint " + k, v));
            p.tangents(ParamVector.obaDirection(g)).forEach((k, v) -> live.put("tangent " + k, v));
            Pass.CurvatureProduct c = p.curvatureProduct(ParamVector.obaDirection(g), Curvature.EXACT, true);
            for (int i = 0; i < c.product().size(); i++) live.put("hv " + i, c.product().get(i));
            // Copied while the pass is open: poisoned storage would compare equal to itself.
            live.forEach((k, v) -> copies.put(k, v.toArray()));
        }
        copies.forEach((k, v) -> {
            for (float f : v) assertTrue(Float.isFinite(f), k + " holds a non-finite value");
        });
        return copies;
    }

    @Test
    void whatAPassHandsOutSurvivesLaterPassesThatReuseItsStorage() {
        Graph g = model();
        Tensor x = Tensor.randn(new Random(3), 1f, 4, 3, 8, 8);
        Map<String, Tensor> live = new HashMap<>();
        Map<String, float[]> first = handedOut(g, x, live);
        long[] before = Recycler.counts();
        Map<String, float[]> second = handedOut(g, x, new HashMap<>());
        // Training steps in between write over every array the first pass gave back.
        for (int step = 0; step < 3; step++) {
            try (Pass p = Pass.forward(g, feed(g, x), Mode.BATCH_STATS, 0L, true)) {
                p.loss(new SoftmaxCrossEntropy(), LABELS);
                p.backward(false);
            }
        }
        long[] after = Recycler.counts();
        assertTrue(after[1] > before[1], "later passes reuse storage given back: " + before[1] + " -> " + after[1]);
        for (Map.Entry<String, float[]> e : first.entrySet()) {
            Assertions2.assertBitIdentical(e.getKey() + " after later passes", e.getValue(), live.get(e.getKey()).toArray());
            Assertions2.assertBitIdentical(e.getKey() + " of a pass on recycled storage", e.getValue(), second.get(e.getKey()));
        }
    }

    @Test
    void inferenceWithoutKeptFramesGivesBackAllButItsOutput() {
        Graph g = model();
        Tensor x = Tensor.randn(new Random(4), 1f, 4, 3, 8, 8);
        float[] input = x.toArray();
        Tensor out1 = Pass.forward(g, feed(g, x), Mode.EVAL, 0L, false).output();
        float[] copy = out1.toArray();
        Tensor out2 = Pass.forward(g, feed(g, x), Mode.EVAL, 0L, false).output();
        Assertions2.assertBitIdentical("first output after a second pass", copy, out1.toArray());
        Assertions2.assertBitIdentical("second output", copy, out2.toArray());
        Assertions2.assertBitIdentical("the caller's input", input, x.toArray());
    }
}
