package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.GELU;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.graph.ops.SiLU;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.graph.ops.Tanh;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Adjoint donation ({@link Adjoints#donatedOutputAdjoint}): in a plain backward pass ReLU and BatchNorm
 * write their input adjoints over the output adjoint the engine gives up. The gradients must be the
 * bits of a pass that donates nothing (asking for node adjoints turns donation off), the donation must
 * really be offered where the engine owns gy, and never where the caller can see gy or a later rule
 * reads it. (Curvature products with donated ġ are checked against finite differences and PyTorch
 * fixtures by the op and network tests.)
 */
class AdjointDonationTest {

    /** An identity op that records whether its backward was offered gy. */
    static final class Probe extends Op {
        final List<Boolean> offered = new ArrayList<>();

        @Override public String kind() { return "Probe"; }
        @Override public Attrs attrs() { return Attrs.empty(); }
        @Override public Set<OpProperty> properties() { return Set.of(); }
        @Override public int arity() { return 1; }
        @Override public int[] outputShape(int[][] in) { return in[0].clone(); }
        @Override public Tensor forward(Frame f) { return f.inputs[0].copy(); }

        @Override
        public void backward(Frame f, Tensor gy, Adjoints out) {
            offered.add(out.donatedOutputAdjoint() != null);
            out.inputNew(0, gy.copy());
        }

        @Override
        public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
            return xDot[0] == null ? null : xDot[0].copy();
        }

        @Override
        public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
            offered.add(out.donatedOutputAdjoint() != null);
            if (gyDot != null) out.inputNew(0, gyDot.copy());
        }
    }

    /** conv → BN → ReLU → probe → conv (+ shortcut) → ReLU → Linear: BN and ReLU get donated adjoints. */
    private static Graph graph(Probe probe) {
        GraphBuilder b = new GraphBuilder("donation", 3);
        Node x = b.input("x", 3, 6, 6);
        Node r = b.add("r", new ReLU(), b.add("bn", new BatchNorm2d(), b.add("c0", Conv2d.of(4, 3, 1, 1, false), x)));
        Node p = b.add("probe", probe, r);
        Node c1 = b.add("c1", Conv2d.of(4, 3, 1, 1, false), p);
        Node r2 = b.add("r2", new ReLU(), b.add("bn2", new BatchNorm2d(), b.add("a", new Add(), c1, p)));
        return b.build(b.add("fc", Linear.of(5), b.add("flat", new Flatten(), r2)));
    }

    private static ParamVector gradients(Graph g, Tensor x, int[] labels, boolean keepNodeAdjoints) {
        try (Pass pass = Pass.forward(g, Map.of(g.inputs().get(0).name(), x), Mode.TRAIN, 0L, true)) {
            pass.loss(new SoftmaxCrossEntropy(), labels);
            return pass.backward(keepNodeAdjoints).parameters();
        }
    }

    @Test
    void donatingBackwardGivesTheBitsOfANonDonatingOne() {
        Probe probe = new Probe();
        Graph g = graph(probe);
        Tensor x = Tensor.randn(new Random(1), 1f, 4, 3, 6, 6);
        int[] labels = {0, 3, 1, 4};
        ParamVector donating = gradients(g, x, labels, false);
        ParamVector plain = gradients(g, x, labels, true);
        for (int i = 0; i < donating.size(); i++) {
            Assertions2.assertBitIdentical("parameter " + i, plain.get(i).data(), donating.get(i).data());
        }
        // probe's gy is conv c1's input adjoint plus Add's pass-through: a sum the engine owns.
        assertEquals(List.of(true, false), probe.offered, "offered in the plain backward, not when node adjoints are kept");
    }

    @Test
    void smoothActivationsTakeDonationsWithTheSameBits() {
        for (Op act : new Op[] {new GELU(), new SiLU(), new Tanh()}) {
            GraphBuilder b = new GraphBuilder("act", 5);
            Node x = b.input("x", 6);
            Node h = b.add("h", act, b.add("fc0", Linear.of(8), x));
            Node h2 = b.add("h2", new Add(), b.add("fc1", Linear.of(8), h), h);
            Graph g = b.build(b.add("fc2", Linear.of(4), h2));
            Tensor in = Tensor.randn(new Random(7), 1f, 5, 6);
            int[] labels = {0, 1, 2, 3, 1};
            ParamVector donating = gradients(g, in, labels, false);
            ParamVector plain = gradients(g, in, labels, true);
            for (int i = 0; i < donating.size(); i++) {
                Assertions2.assertBitIdentical(act.kind() + " parameter " + i, plain.get(i).data(), donating.get(i).data());
            }
        }
    }

    @Test
    void inACurvaturePassGyIsKeptForRBackwardAndGDotIsDonated() {
        Probe probe = new Probe();
        Graph g = graph(probe);
        Tensor x = Tensor.randn(new Random(2), 1f, 2, 3, 6, 6);
        try (Pass pass = Pass.forward(g, Map.of("x", x), Mode.BATCH_STATS, 0L, true)) {
            pass.loss(new SoftmaxCrossEntropy(), new int[] {1, 2});
            assertNotNull(pass.curvatureProduct(ParamVector.obaDirection(g), Curvature.EXACT, true).product());
        }
        // Probe is not piecewise linear, so its rBackward may read gy: backward is not offered gy; rBackward
        // is offered ġ, a sum the engine owns.
        assertEquals(List.of(false, true), probe.offered, "backward then rBackward of a curvature pass");
    }

    @Test
    void resnetGradientsMatchWithAndWithoutDonation() {
        Graph g = ModelZoo.build("resnet20", new ModelOptions(10, new int[] {3, 8, 8}, 0, 0));
        Tensor x = Tensor.randn(new Random(3), 1f, 3, 3, 8, 8);
        int[] labels = {7, 0, 2};
        ParamVector donating = gradients(g, x, labels, false);
        ParamVector plain = gradients(g, x, labels, true);
        for (int i = 0; i < donating.size(); i++) {
            Assertions2.assertBitIdentical(g.parameters().get(i).name(), plain.get(i).data(), donating.get(i).data());
        }
    }
}
