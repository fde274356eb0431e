package dev.apoptosis.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Java-library example of docs/engine.md, kept compiling and correct: build a model, compute the
 * gradient and the OBA score θ ⊙ (H̃θ) of every Conv/Linear parameter from one batch.
 */
class LibraryUsageTest {
    @Test
    void obaScoresFromOneBatch() {
        // --- docs/engine.md example begins ---
        GraphBuilder b = new GraphBuilder("tiny-cnn", 42);
        Node x = b.input("image", 3, 16, 16);
        Node h = b.add("conv1", Conv2d.builder(8, 3).padding(1).bias(false).build(), x);
        h = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), h));
        h = b.add("pool", new GlobalAvgPool(), h);
        Graph model = b.build(b.add("fc", Linear.of(10), h));

        Tensor images = Tensor.randn(new Random(0), 1f, 32, 3, 16, 16);
        int[] labels = new Random(1).ints(32, 0, 10).toArray();

        ParamVector theta = ParamVector.obaDirection(model);      // v = θ on Conv/Linear, 0 elsewhere
        try (Pass pass = Pass.forward(model, images, Mode.BATCH_STATS)) {  // batch statistics, buffers untouched
            double loss = pass.loss(new SoftmaxCrossEntropy(), labels);
            Pass.CurvatureProduct r = pass.curvatureProduct(theta, Curvature.OBA, true);
            for (int i = 0; i < theta.size(); i++) {
                Tensor t = theta.get(i);
                if (t == null) continue;                              // BN γ, β: not scored by OBA
                Tensor hTheta = r.product().getOrZeros(i), g = r.gradient().getOrZeros(i);  // null slot = zero
                double score = 0;                                     // layer total of θ ⊙ (H̃θ)
                for (int k = 0; k < t.size(); k++) score += t.at(k) * hTheta.at(k);
                System.out.printf("%-12s loss %.4f  Σθ·g %.4g  Σθ·H̃θ %.4g%n", theta.parameter(i).name(), loss,
                        dot(t, g), score);
                // --- docs/engine.md example ends ---
                assertTrue(Double.isFinite(score));
            }
        }
        ParamVector v = ParamVector.obaDirection(model);
        int scored = 0;
        for (int i = 0; i < v.size(); i++) if (v.get(i) != null) scored++;
        assertEquals(5, v.size());
        assertEquals(3, scored, "conv1.weight, fc.weight, fc.bias");
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int k = 0; k < a.size(); k++) s += (double) a.at(k) * b.at(k);
        return s;
    }
}
