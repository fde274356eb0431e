package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Rule checks for an op placed between two learnable layers, so that every rule of the op is
 * exercised through parameters on both sides of it: the finite-difference oracle
 * ({@link DerivativeCheck}) and, on a piecewise-linear network, the identity OBA + Gauss–Newton =
 * EXACT. The per-op tests choose the sandwich that fits their op's input.
 */
final class SandwichChecks {
    private SandwichChecks() {}

    /** Images [2, h, w] → conv (3 filters 3x3, padding 1) → op → Linear(2): all rules against finite differences. */
    static void imageHeadAgreesWithFiniteDifferences(Supplier<Op> op, int h, int w) {
        GraphBuilder b = new GraphBuilder(op.get().kind(), 2);
        Node x = b.add("op", op.get(), b.add("conv", Conv2d.of(3, 3, 1, 1, true), b.input("x", 2, h, w)));
        Graph g = b.build(b.add("fc", Linear.of(2), x));
        new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(3, 3, 2, h, w)), new QuadraticLoss(4), null).run();
    }

    /** Images [3, 6, 6] → conv (4 filters 3x3, {@code convStride}, padding 1) → ReLU → op → Linear(3): OBA + GN = EXACT. */
    static void imageHeadObaPlusGnIsExact(Supplier<Op> op, int convStride) {
        GraphBuilder b = new GraphBuilder("cnn", 3);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, convStride, 1, true), b.input("x", 3, 6, 6)));
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("op", op.get(), h)));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(4, 4, 3, 6, 6)), new int[] {0, 1, 2, 1},
                Mode.BATCH_STATS, p -> true);
    }

    /**
     * Tokens [3, 4] → Linear(5) → op → activation → Linear(2): the rules against finite differences
     * (Tanh: no kink within eps), and no curvature of the op's own (ReLU: OBA + GN = EXACT).
     */
    static void tokenOpAgreesWithFiniteDifferencesAndAddsNoCurvature(Supplier<Op> op) {
        Tensor in = Tensor.randn(new Random(4), 1f, 3, 3, 4);
        new DerivativeCheck(tokenModel(op.get(), new Tanh()), Map.of("x", in), new QuadraticLoss(1), null).run();
        Graph relu = tokenModel(op.get(), new ReLU());
        assertTrue(CurvatureIdentity.assertObaPlusGaussNewtonIsExact(relu, in, new QuadraticLoss(1), null) > 0);
    }

    private static Graph tokenModel(Op op, Op activation) {
        GraphBuilder b = new GraphBuilder(op.kind(), 3);
        Node h = b.add("op", op, b.add("fc1", Linear.of(5), b.input("x", 3, 4)));
        return b.build(b.add("fc2", Linear.of(2), b.add("act", activation, h)));
    }
}
