package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.OpRegistry;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ReLU6 = min(max(0, x), 6): the forward against the definition on values on both sides of both
 * kinks, the Jacobian mask [0 < x < 6] in every rule, and the rules of a network through it against
 * finite differences in all modes. (ONNX Runtime checks the forward too: an exported ReLU6 runs as
 * Clip(0, 6) in {@code OnnxImportTest}.)
 */
class ReLU6Test {
    private static final float[] X = {-3f, -0.5f, 0.25f, 1f, 5.5f, 5.99f, 6.01f, 9f};

    private static Graph alone() {
        GraphBuilder b = new GraphBuilder("relu6", 1);
        return b.build(b.add("act", new ReLU6(), b.input("x", 8)));
    }

    @Test
    void forwardClampsToZeroAndSix() {
        try (Pass p = Pass.forward(alone(), Tensor.wrap(X.clone(), 1, 8), Mode.EVAL)) {
            float[] y = p.output().toArray();
            for (int i = 0; i < X.length; i++) assertEquals(Math.min(Math.max(X[i], 0f), 6f), y[i], 0f, "x = " + X[i]);
        }
    }

    @Test
    void everyRuleMultipliesByTheMaskInsideTheBounds() {
        Graph g = alone();
        float[] mask = {0, 0, 1, 1, 1, 1, 0, 0};
        float[] t = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] expected = new float[8];
        for (int i = 0; i < 8; i++) expected[i] = mask[i] * t[i];
        try (Pass p = Pass.forward(g, Map.of("x", Tensor.wrap(X.clone(), 1, 8)), Mode.EVAL, 0L, true)) {
            Pass.Gradients gr = p.backwardFrom(Tensor.wrap(t.clone(), 1, 8), true);
            assertArrayEquals(expected, gr.nodeAdjoints().get("x").toArray(), 0f);
            Map<String, Tensor> tan = p.tangents(ParamVector.zeros(g), Map.of("x", Tensor.wrap(t.clone(), 1, 8)));
            assertArrayEquals(expected, tan.get("act").toArray(), 0f);
        }
        ReLU6 op = new ReLU6();
        assertEquals(op.attrs(), OpRegistry.create("ReLU6", Attrs.empty()).attrs());
        assertEquals(ReLU6.class, OpRegistry.create("ReLU6", Attrs.empty()).getClass());
        assertEquals(true, op.has(OpProperty.PIECEWISE_LINEAR));
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        // Inputs scaled so the hidden units fall on both sides of both kinks; the seed keeps every unit
        // clear of the kinks within the finite-difference step.
        GraphBuilder b = new GraphBuilder("relu6-net", 3);
        Node x = b.input("x", 5);
        Graph g = b.build(b.add("fc2", Linear.of(3), b.add("act", new ReLU6(), b.add("fc1", Linear.of(12), x))));
        new DerivativeCheck(g, Map.of("x", Tensor.randn(new Random(17), 9f, 4, 5)), new QuadraticLoss(9), null).run();
    }
}
