package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Curvature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.autodiff.PassProfiler.Phase;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PassProfiler}: every rule a pass runs is reported exactly once, bracketed by begin/record, with a
 * non-negative time; and profiling changes no bit of any result (outputs, loss, gradients, BatchNorm
 * running statistics, curvature products).
 */
class PassProfilerTest {
    private static final int N = 4;

    /** A small ResNet-20 (width 4, 8x8 inputs): BatchNorm, residual Adds, a node with two consumers. */
    private static Graph model() {
        return ModelZoo.build("resnet20", new ModelOptions(10, new int[] {3, 8, 8}, 4, 7));
    }

    private static Map<String, Tensor> input(Graph g) {
        return Map.of(g.inputs().get(0).name(), Tensor.randn(new Random(3), 1f, N, 3, 8, 8));
    }

    private static final int[] LABELS = {1, 7, 3, 3};

    /** Counts calls per phase and node, and checks that begin and record come in pairs. */
    private static final class Counting implements PassProfiler {
        final Map<Phase, Map<Node, Integer>> calls = new EnumMap<>(Phase.class);
        final List<Long> nanos = new ArrayList<>();
        Node open;
        Phase openPhase;

        @Override
        public void begin(Node node, Phase phase) {
            assertEquals(null, open, "begin without record before it");
            open = node;
            openPhase = phase;
        }

        @Override
        public void record(Node node, Phase phase, long ns) {
            assertSame(open, node, "record of a node that did not begin");
            assertSame(openPhase, phase);
            open = null;
            calls.computeIfAbsent(phase, p -> new HashMap<>()).merge(node, 1, Integer::sum);
            nanos.add(ns);
        }

        void assertEveryRuleNodeOnce(Graph g, Phase phase) {
            Map<Node, Integer> m = calls.getOrDefault(phase, Map.of());
            int rules = 0;
            for (Node n : g.nodes()) {
                if (n.isInput()) {
                    assertEquals(null, m.get(n), "input " + n.name() + " reported in " + phase);
                } else {
                    assertEquals(1, m.getOrDefault(n, 0), n.name() + " (" + n.op().kind() + ") in " + phase);
                    rules++;
                }
            }
            assertEquals(rules, m.size(), phase + ": nodes reported");
        }
    }

    @Test
    void everyNodeIsReportedOncePerPhaseOfATrainingStepAndACurvaturePass() {
        Graph g = model();
        Counting c = new Counting();
        try (Pass p = Pass.forward(g, input(g), Mode.TRAIN, 0L, true, c)) {
            c.assertEveryRuleNodeOnce(g, Phase.FORWARD);
            assertEquals(1, c.calls.size(), "a forward pass reports only FORWARD");
            p.loss(new SoftmaxCrossEntropy(), LABELS);
            p.backward(false);
            c.assertEveryRuleNodeOnce(g, Phase.BACKWARD);
        }
        Counting h = new Counting();
        try (Pass p = Pass.forward(g, input(g), Mode.BATCH_STATS, 0L, true, h)) {
            p.loss(new SoftmaxCrossEntropy(), LABELS);
            p.curvatureProduct(ParamVector.obaDirection(g), Curvature.EXACT, true);
        }
        for (Phase ph : Phase.values()) h.assertEveryRuleNodeOnce(g, ph);
        assertTrue(h.nanos.stream().allMatch(ns -> ns >= 0), "negative rule time");
        assertEquals(null, h.open, "a rule began but was never recorded");
    }

    @Test
    void setProfilerReportsOnlyTheDerivativePassesAfterIt() {
        Graph g = model();
        Counting c = new Counting();
        try (Pass p = Pass.forward(g, input(g), Mode.BATCH_STATS, 0L, true)) {
            p.setProfiler(c);
            p.tangents(ParamVector.obaDirection(g));
            assertEquals(List.of(Phase.TANGENT), List.copyOf(c.calls.keySet()));
            c.assertEveryRuleNodeOnce(g, Phase.TANGENT);
            p.setProfiler(null);
            p.loss(new SoftmaxCrossEntropy(), LABELS);
            p.backward(false);
            assertEquals(List.of(Phase.TANGENT), List.copyOf(c.calls.keySet()), "detached profiler was called");
        }
    }

    @Test
    void profilingChangesNoBitOfAnyResult() {
        Graph plain = model(), profiled = model();
        Result a = step(plain, null);
        Result b = step(profiled, new Counting());
        assertNotNull(b.output);
        Assertions2.assertBitIdentical("output", a.output.toArray(), b.output.toArray());
        assertEquals(Double.doubleToRawLongBits(a.loss), Double.doubleToRawLongBits(b.loss), "loss");
        for (int i = 0; i < a.grad.size(); i++) {
            String name = a.grad.parameter(i).name();
            Assertions2.assertBitIdentical("gradient " + name, a.grad.getOrZeros(i).toArray(), b.grad.getOrZeros(i).toArray());
            Assertions2.assertBitIdentical("H·v " + name, a.hv.getOrZeros(i).toArray(), b.hv.getOrZeros(i).toArray());
            Assertions2.assertBitIdentical("H·v gradient " + name, a.hvGrad.getOrZeros(i).toArray(), b.hvGrad.getOrZeros(i).toArray());
        }
        List<Parameter> ba = plain.buffers(), bb = profiled.buffers();
        assertTrue(!ba.isEmpty());
        for (int i = 0; i < ba.size(); i++) {
            Assertions2.assertBitIdentical("buffer " + ba.get(i).name(), ba.get(i).value().toArray(), bb.get(i).value().toArray());
        }
    }

    private record Result(Tensor output, double loss, ParamVector grad, ParamVector hv, ParamVector hvGrad) {}

    /** A TRAIN step's output, loss and gradient, then a BATCH_STATS EXACT H·v pass with its gradient. */
    private static Result step(Graph g, PassProfiler prof) {
        Tensor out;
        double loss;
        ParamVector grad;
        try (Pass p = Pass.forward(g, input(g), Mode.TRAIN, 0L, true, prof)) {
            out = p.output();
            loss = p.loss(new SoftmaxCrossEntropy(), LABELS);
            grad = p.backward(false).parameters();
        }
        try (Pass p = Pass.forward(g, input(g), Mode.BATCH_STATS, 0L, true, prof)) {
            p.loss(new SoftmaxCrossEntropy(), LABELS);
            Pass.CurvatureProduct r = p.curvatureProduct(ParamVector.obaDirection(g), Curvature.EXACT, true);
            return new Result(out, loss, grad, r.product(), r.gradient());
        }
    }
}
