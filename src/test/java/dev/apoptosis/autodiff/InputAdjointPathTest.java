package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Curvature;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.Scale;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Regression: an input given a tangent must receive its gradient and H·v block even when
 * parameter-free ops lie between it and the first parameter layer (the reverse pass used to skip
 * their adjoints, so the input's blocks came back missing).
 */
class InputAdjointPathTest {
    @Test
    void inputBlocksFlowThroughParameterFreeOps() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node x = b.input("x", 5);
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("s2", new Scale(-2), b.add("s1", new Scale(0.5), x))));
        Tensor in = Tensor.randn(new Random(2), 1f, 4, 5);
        Tensor xDot = Tensor.randn(new Random(3), 1f, 4, 5);
        try (Pass p = Pass.forward(g, in, Mode.EVAL)) {
            p.loss(new QuadraticLoss(4), null);
            Tensor expected = p.backward(true).nodeAdjoints().get("x");
            Pass.CurvatureProduct cp = p.curvatureProduct(ParamVector.zeros(g), Map.of("x", xDot), Curvature.EXACT, true);
            assertNotNull(cp.inputGradients().get("x"), "input gradient missing");
            assertNotNull(cp.inputProducts().get("x"), "input H·v block missing");
            Assertions2.assertClose("input gradient", expected, cp.inputGradients().get("x"), 1e-6, 1e-7);
        }
    }
}
