package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Accumulation;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Adjoints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.graph.ops.Tanh;
import dev.apoptosis.graph.Op;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.Conv2dKernels;
import dev.apoptosis.tensor.window.ConvGeometry;
import dev.apoptosis.testing.Assertions2;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The reverse pass sums adjoints in place into tensors it owns ({@link Accumulation}). These tests check
 * that the sums are exactly the plain sums, and that no tensor handed out (a seed, a node adjoint, a
 * gradient, a curvature product) is ever written afterwards, by this pass or the next.
 *
 * <p>The graph has a node with three consumers: r0 feeds conv c1 and 1x1 conv c3 (whose rules hand over
 * their input adjoints) and, last, the identity shortcut of Add a2, whose rule passes a2's adjoint
 * through read-only; so r0's first contribution is a tensor the engine must not write.
 */
class AdjointAccumulationTest {
    private static final int N = 3;

    @AfterEach
    void restoreSimd() {
        Simd.setForceScalar(false);
    }

    private static Graph fanOutGraph() {
        return fanOutGraph(ReLU::new);
    }

    private static Graph fanOutGraph(Supplier<Op> activation) {
        GraphBuilder b = new GraphBuilder("fanout", 11);
        Node x = b.input("x", 2, 6, 6);
        Node r0 = b.add("r0", activation.get(), b.add("c0", Conv2d.of(4, 3, 1, 1, false), x));
        Node bn1 = b.add("bn1", new BatchNorm2d(), b.add("c1", Conv2d.of(4, 3, 1, 1, false), r0));
        Node c3 = b.add("c3", Conv2d.of(4, 1, 1, 0, false), r0);
        Node a1 = b.add("a1", new Add(), bn1, c3);
        Node a2 = b.add("a2", new Add(), a1, r0);
        Node r2 = b.add("r2", activation.get(), a2);
        return b.build(b.add("fc", Linear.of(5), b.add("flat", new Flatten(), r2)));
    }

    private static Tensor input(long seed) {
        return Tensor.randn(new Random(seed), 1f, N, 2, 6, 6);
    }

    private static Tensor param(Graph g, String name) {
        for (var p : g.parameters()) if (p.name().equals(name)) return p.value();
        throw new AssertionError("no parameter " + name);
    }

    private static Tensor convInputGrad(Tensor gy, Tensor w, int k, int pad) {
        ConvGeometry geo = new ConvGeometry(N, 4, 6, 6, 4, k, k, 1, 1, pad, pad, 1, 1, 1);
        return Conv2dKernels.backwardInput(geo, gy, w);
    }

    /** r0's adjoint equals the plain sum of its three contributions, in reverse node order, bit for bit. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fanOutAdjointIsThePlainSum(boolean scalar) {
        Simd.setForceScalar(scalar);
        Graph g = fanOutGraph();
        try (Pass p = Pass.forward(g, input(1), Mode.BATCH_STATS)) {
            p.loss(new QuadraticLoss(3), null);
            Map<String, Tensor> adj = p.backward(true).nodeAdjoints();
            // Reverse node order: a2's pass-through arrives first, then c3's, then c1's.
            Tensor fromA2 = adj.get("a2");
            Tensor fromC3 = convInputGrad(adj.get("c3"), param(g, "c3.weight"), 1, 0);
            Tensor fromC1 = convInputGrad(adj.get("c1"), param(g, "c1.weight"), 3, 1);
            float[] expected = new float[fromA2.size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (fromA2.data()[fromA2.offset() + i] + fromC3.data()[fromC3.offset() + i])
                        + fromC1.data()[fromC1.offset() + i];
            }
            Assertions2.assertBitIdentical("adjoint of r0", expected, adj.get("r0").toArray());
        }
    }

    /** Finite differences on the fan-out graph (smooth activations: no kinks): gradient, tangent and H·v. */
    @Test
    void fanOutGraphPassesFiniteDifferences() {
        Graph g = fanOutGraph(Tanh::new);
        new DerivativeCheck(g, Map.of("x", input(2)), new QuadraticLoss(4), null).run();
    }

    /**
     * Results of a first backward and curvature pass, kept by the caller, are unchanged by a second
     * backward on the same pass and by a whole second pass on another batch; the seed is never written.
     */
    @Test
    void keptResultsSurviveLaterPasses() {
        Graph g = fanOutGraph();
        Map<String, int[]> model = DerivativeCheck.snapshot(g);
        ParamVector v = ParamVector.obaDirection(g);
        Tensor seed = Tensor.randn(new Random(5), 1f, N, 5);
        float[] seedCopy = seed.toArray();
        List<Tensor> kept = new ArrayList<>();
        Map<Tensor, float[]> copies = new HashMap<>();
        try (Pass p = Pass.forward(g, input(1), Mode.BATCH_STATS)) {
            p.loss(new QuadraticLoss(3), null);
            Pass.Gradients gr = p.backward(true);
            gr.nodeAdjoints().values().forEach(kept::add);
            addAll(kept, gr.parameters());
            Pass.Gradients fromSeed = p.backwardFrom(seed, true);
            assertSame(seed, fromSeed.nodeAdjoints().get("fc"), "the seed is fc's adjoint as given");
            fromSeed.nodeAdjoints().values().forEach(kept::add);
            Pass.CurvatureProduct cp = p.curvatureProduct(v, Map.of("x", input(9)), Curvature.EXACT, true);
            addAll(kept, cp.product());
            addAll(kept, cp.gradient());
            kept.addAll(cp.inputProducts().values());
            kept.addAll(cp.inputGradients().values());
            for (Tensor t : kept) copies.put(t, t.toArray());
            // The same derivative passes again on this pass: bit-identical to the first.
            Pass.Gradients again = p.backward(true);
            for (var e : gr.nodeAdjoints().entrySet()) {
                assertArrayEquals(e.getValue().toArray(), again.nodeAdjoints().get(e.getKey()).toArray(), e.getKey());
            }
            Pass.CurvatureProduct cp2 = p.curvatureProduct(v, Map.of("x", input(9)), Curvature.EXACT, true);
            for (int i = 0; i < v.size(); i++) {
                assertArrayEquals(cp.product().get(i).toArray(), cp2.product().get(i).toArray(), "H·v block " + i);
            }
        }
        try (Pass p = Pass.forward(g, input(7), Mode.BATCH_STATS)) {
            p.loss(new QuadraticLoss(8), null);
            p.backward(true);
            p.curvatureProduct(v, Map.of("x", input(10)), Curvature.EXACT, true);
        }
        for (Tensor t : kept) assertArrayEquals(copies.get(t), t.toArray(), "a kept result was overwritten");
        assertArrayEquals(seedCopy, seed.toArray(), "the seed was overwritten");
        DerivativeCheck.assertUnchanged(g, model, "the passes");
    }

    private static void addAll(List<Tensor> out, ParamVector v) {
        for (int i = 0; i < v.size(); i++) if (v.get(i) != null) out.add(v.get(i));
    }

    @Test
    void handedOverTensorReceivesTheSumAndReadOnlyOnesStayIntact() {
        Tensor readOnly = Tensor.wrap(new float[] {1, 2, 3}, 3);
        Tensor handed = Tensor.wrap(new float[] {10, 20, 30}, 3);
        Adjoints a = new Adjoints(new boolean[] {true}, 0, false);
        a.input(0, readOnly);
        a.inputNew(0, handed);
        assertSame(handed, a.inputAdjoint(0), "sum went into the handed-over tensor");
        assertArrayEquals(new float[] {11, 22, 33}, handed.toArray());
        assertArrayEquals(new float[] {1, 2, 3}, readOnly.toArray(), "read-only term written");
        a.input(0, readOnly);
        assertArrayEquals(new float[] {12, 24, 36}, a.inputAdjoint(0).toArray());
        assertArrayEquals(new float[] {1, 2, 3}, readOnly.toArray(), "read-only term written");
    }

    @Test
    void twoReadOnlyTermsGiveANewTensor() {
        Tensor p = Tensor.wrap(new float[] {1, 2}, 2), q = Tensor.wrap(new float[] {3, 4}, 2);
        Adjoints a = new Adjoints(new boolean[] {true}, 0, false);
        a.input(0, p);
        a.input(0, q);
        assertArrayEquals(new float[] {4, 6}, a.inputAdjoint(0).toArray());
        assertArrayEquals(new float[] {1, 2}, p.toArray());
        assertArrayEquals(new float[] {3, 4}, q.toArray());
    }

    @Test
    void handedOverStorageDeliveredTwiceIsAnError() {
        Tensor t = Tensor.zeros(2, 2);
        Adjoints a = new Adjoints(new boolean[] {true, true}, 0, false);
        a.inputNew(0, t);
        assertThrows(IllegalStateException.class, () -> a.inputNew(1, t.reshape(4).reshape(2, 2)));
        assertThrows(IllegalStateException.class, () -> a.input(1, t));
        Adjoints b = new Adjoints(new boolean[] {true, true}, 0, false);
        b.input(0, t);
        assertThrows(IllegalStateException.class, () -> b.inputNew(1, t));
    }
}
