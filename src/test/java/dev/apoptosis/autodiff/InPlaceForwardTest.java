package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Relu;
import dev.apoptosis.testing.Assertions2;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * In-place forward outputs ({@link Frame#donatedInput}): in a TRAIN pass ReLU and Add write over an
 * input nothing else reads. Results must be the bits of a pass that overwrites nothing (BATCH_STATS
 * computes the same batch statistics and never donates), overwritten outputs must be reported as gone,
 * and nothing a caller or another rule can see may be overwritten.
 */
class InPlaceForwardTest {
    private static final int[] LABELS = {1, 0, 4};

    private static Map<String, Tensor> feed(Graph g, Tensor x) {
        return Map.of(g.inputs().get(0).name(), x);
    }

    private static Pass.Gradients run(Graph g, Tensor x, Mode mode) {
        try (Pass p = Pass.forward(g, feed(g, x), mode, 0L, true)) {
            p.loss(new SoftmaxCrossEntropy(), LABELS);
            return p.backward(false);
        }
    }

    @Test
    void resnetTrainPassMatchesAPassWithoutInPlaceOutputs() {
        Graph g = ModelZoo.build("resnet20", new ModelOptions(5, new int[] {3, 8, 8}, 0, 0));
        Tensor x = Tensor.randn(new Random(4), 1f, 3, 3, 8, 8);
        float[] before = x.toArray();
        ParamVector train = run(g, x, Mode.TRAIN).parameters();
        ParamVector plain = run(g, x, Mode.BATCH_STATS).parameters();
        for (int i = 0; i < train.size(); i++) {
            Assertions2.assertBitIdentical(g.parameters().get(i).name(), plain.get(i).data(), train.get(i).data());
        }
        assertArrayEquals(before, x.toArray(), "the caller's input is never written");
    }

    /**
     * A pass that keeps nothing (inference) also computes ReLU and Add in place: the output must be the
     * bits of an EVAL pass that keeps its frames (and so never donates), and the caller's input and the
     * model's parameters and buffers must be left alone.
     */
    @Test
    void inferenceWithoutKeptFramesMatchesAPassThatKeepsThem() {
        Graph g = ModelZoo.build("resnet20", new ModelOptions(5, new int[] {3, 8, 8}, 0, 0));
        Tensor x = Tensor.randn(new Random(5), 1f, 3, 3, 8, 8);
        float[] before = x.toArray();
        float[][] params = g.parameters().stream().map(p -> p.value().toArray()).toArray(float[][]::new);
        float[] kept, streamed;
        try (Pass p = Pass.forward(g, feed(g, x), Mode.EVAL, 0L, true)) {
            kept = p.output().toArray();
        }
        try (Pass p = Pass.forward(g, feed(g, x), Mode.EVAL, 0L, false)) {
            streamed = p.output().toArray();
        }
        Assertions2.assertBitIdentical("output", kept, streamed);
        assertArrayEquals(before, x.toArray(), "the caller's input is never written");
        for (int i = 0; i < params.length; i++) assertArrayEquals(params[i], g.parameters().get(i).value().toArray());
    }

    /** conv → BN → ReLU (in place over BN) → conv → BN2 → Add(BN2, ReLU) (in place over BN2) → ReLU → ... */
    private static Graph block() {
        GraphBuilder b = new GraphBuilder("block", 5);
        Node x = b.input("x", 2, 5, 5);
        Node r = b.add("r", new ReLU(), b.add("bn", new BatchNorm2d(), b.add("c0", Conv2d.of(3, 3, 1, 1, false), x)));
        Node bn2 = b.add("bn2", new BatchNorm2d(), b.add("c1", Conv2d.of(3, 3, 1, 1, false), r));
        Node a = b.add("a", new Add(), bn2, r);
        Node r2 = b.add("r2", new ReLU(), a);
        return b.build(b.add("fc", Linear.of(5), b.add("flat", new Flatten(), r2)));
    }

    @Test
    void overwrittenOutputsAreReportedAndOthersKept() {
        Graph g = block();
        Tensor x = Tensor.randn(new Random(6), 1f, 3, 2, 5, 5);
        try (Pass p = Pass.forward(g, feed(g, x), Mode.TRAIN, 0L, true)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.nodeOutput("bn"));
            assertTrue(e.getMessage().contains("'bn'") && e.getMessage().contains("'r'") && e.getMessage().contains("BATCH_STATS"),
                    e.getMessage());
            assertThrows(IllegalStateException.class, () -> p.nodeOutput("bn2"));
            assertThrows(IllegalStateException.class, () -> p.nodeOutput("a"));
            // r has two consumers (c1 and the shortcut), and ReLU's rules read its output: kept.
            Tensor r = p.nodeOutput("r");
            assertNotNull(r);
            try (Pass q = Pass.forward(g, feed(g, x), Mode.BATCH_STATS, 0L, true)) {
                Assertions2.assertBitIdentical("r", q.nodeOutput("r").data(), r.data());
                Assertions2.assertBitIdentical("c0", q.nodeOutput("c0").data(), p.nodeOutput("c0").data());
                Assertions2.assertBitIdentical("output", q.output().data(), p.output().data());
                float[] relu = q.nodeOutput("a").toArray();
                Relu.forward(relu, 0, relu, 0, relu.length);
                Assertions2.assertBitIdentical("r2", relu, p.nodeOutput("r2").data());
            }
        }
    }

    @Test
    void aReluOutputIsNeverOverwrittenItsBackwardReadsIt() {
        // r1's only consumer is Add, which would take it in place, but ReLU reads its own output
        // (READS_OWN_OUTPUT): Add must write over its other input, c2, instead.
        GraphBuilder b = new GraphBuilder("relu-into-add", 9);
        Node x = b.input("x", 2, 4, 4);
        Node r1 = b.add("r1", new ReLU(), b.add("bn", new BatchNorm2d(), b.add("c1", Conv2d.of(3, 3, 1, 1, false), x)));
        Node c2 = b.add("c2", Conv2d.of(3, 1, 1, 0, false), x);
        Node a = b.add("a", new Add(), r1, c2);
        Graph g = b.build(b.add("fc", Linear.of(5), b.add("flat", new Flatten(), a)));
        Tensor in = Tensor.randn(new Random(10), 1f, 3, 2, 4, 4);
        ParamVector train = run(g, in, Mode.TRAIN).parameters();
        ParamVector plain = run(g, in, Mode.BATCH_STATS).parameters();
        for (int i = 0; i < train.size(); i++) {
            Assertions2.assertBitIdentical(g.parameters().get(i).name(), plain.get(i).data(), train.get(i).data());
        }
        try (Pass p = Pass.forward(g, feed(g, in), Mode.TRAIN, 0L, true)) {
            assertNotNull(p.nodeOutput("r1"));
            assertThrows(IllegalStateException.class, () -> p.nodeOutput("c2"), "Add wrote over c2");
        }
    }

    @Test
    void noInPlaceForAnInputUsedTwiceOrAView() {
        GraphBuilder b = new GraphBuilder("shared", 7);
        Node x = b.input("x", 2, 4, 4);
        Node bn = b.add("bn", new BatchNorm2d(), b.add("c0", Conv2d.of(2, 3, 1, 1, false), x));
        Node twice = b.add("twice", new Add(), bn, bn);
        Node flat = b.add("flat", new Flatten(), twice);
        Node r = b.add("r", new ReLU(), flat);
        Graph g = b.build(b.add("fc", Linear.of(3), r));
        Tensor in = Tensor.randn(new Random(8), 1f, 2, 2, 4, 4);
        try (Pass p = Pass.forward(g, feed(g, in), Mode.TRAIN, 0L, true);
             Pass q = Pass.forward(g, feed(g, in), Mode.BATCH_STATS, 0L, true)) {
            // bn feeds Add twice; flat is a view of Add's output, which ReLU must then not overwrite.
            Assertions2.assertBitIdentical("bn", q.nodeOutput("bn").data(), p.nodeOutput("bn").data());
            Assertions2.assertBitIdentical("twice", q.nodeOutput("twice").data(), p.nodeOutput("twice").data());
            Assertions2.assertBitIdentical("output", q.output().data(), p.output().data());
        }
    }
}
