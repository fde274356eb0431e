package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Loss;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpRegistry;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one op against a PyTorch float64 fixture written by {@code tools/fixtures/ops_vit_fixtures.py}:
 * the graph is the op alone (inputs x0, x1 → node "op"), the loss L = Σ r⊙y + ½ s⊙y² with r, s from the
 * fixture. Compared: forward y, tangent ẏ, gradient (inputs and parameters), and the curvature product
 * along the fixture's joint direction (v, ẋ) in all three modes: EXACT against double backward,
 * GAUSS_NEWTON against jvp/vjp, OBA against double backward with the loss and the nonlinear ops frozen.
 * Every result is computed with 1 and with 2 threads and must be bit-identical, and once more on the
 * scalar kernel path (compared with the fixture); the model must be bit-identical after all passes;
 * the op must survive a round trip through {@link OpRegistry}.
 */
final class OpFixtureCheck {
    /** Elementwise tolerance |a − e| ≤ atol + rtol·|e| with atol relative to the largest |e| of the tensor. */
    private static final double RTOL = 2e-4;
    private static final double ATOL_OF_MAX = 2e-5;

    private OpFixtureCheck() {}

    /** L = Σ r⊙y + ½ s⊙y² with fixed r, s: loss curvature s⊙ẏ, the same in Java and PyTorch. */
    static Loss quadraticLoss(Tensor r, Tensor s) {
        return (y, labels) -> {
            if (y.size() != r.size()) throw new IllegalArgumentException("quadratic loss: output " + Arrays.toString(y.shape()) + " vs r " + Arrays.toString(r.shape()));
            double v = 0;
            for (int i = 0; i < y.size(); i++) v += r.at(i) * (double) y.at(i) + 0.5 * s.at(i) * (double) y.at(i) * y.at(i);
            double value = v;
            return new Loss.Evaluation() {
                @Override public double value() {
                    return value;
                }

                @Override public Tensor gradient() {
                    Tensor g = Tensor.zeros(y.shape());
                    for (int i = 0; i < g.size(); i++) g.setAt(i, r.at(i) + s.at(i) * y.at(i));
                    return g;
                }

                @Override public Tensor rGradient(Tensor yDot, Curvature c) {
                    if (yDot == null || !c.lossCurvature()) return null;
                    Tensor g = Tensor.zeros(y.shape());
                    for (int i = 0; i < g.size(); i++) g.setAt(i, s.at(i) * yDot.at(i));
                    return g;
                }
            };
        };
    }

    private static int[] sampleShape(Fixtures.Array a) {
        return Arrays.copyOfRange(a.shape(), 1, a.shape().length);
    }

    /**
     * Builds input nodes x0.. and node "op" reading inputs {@code slots} (x indices, so one input can
     * feed both slots), with parameter values from the fixture.
     */
    static Graph graph(Fixtures fx, Op op, int... slots) {
        GraphBuilder b = new GraphBuilder("fixture", 1);
        int inputs = fx.intAttr("inputs");
        Node[] xs = new Node[inputs];
        for (int i = 0; i < inputs; i++) xs[i] = b.input("x" + i, sampleShape(fx.array("x" + i)));
        Node[] ins = new Node[slots.length];
        for (int k = 0; k < slots.length; k++) ins[k] = xs[slots[k]];
        Graph g = b.build(b.add("op", op, ins));
        for (Parameter p : g.parameters()) p.setValue(fx.tensor("p." + p.spec().name()));
        return g;
    }

    /** Results of one run, flattened by name for comparison and for the thread-determinism check. */
    private static Map<String, Tensor> run(Fixtures fx, Graph g) {
        int inputs = fx.intAttr("inputs");
        Map<String, Tensor> in = new HashMap<>();
        Map<String, Tensor> xDot = new HashMap<>();
        for (int i = 0; i < inputs; i++) {
            in.put("x" + i, fx.tensor("x" + i));
            if (fx.has("xdot" + i)) xDot.put("x" + i, fx.tensor("xdot" + i));
        }
        ParamVector v = ParamVector.zeros(g);
        for (int j = 0; j < v.size(); j++) v.set(j, fx.tensor("v." + v.parameter(j).spec().name()));
        Loss loss = quadraticLoss(fx.tensor("r"), fx.tensor("s"));
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (Pass p = Pass.forward(g, in, Mode.BATCH_STATS, 0L, true)) {
            out.put("y", p.output().copy());
            p.loss(loss, null);
            out.put("ydot", p.tangents(v, xDot).get("op"));
            for (Curvature c : Curvature.values()) {
                Pass.CurvatureProduct cp = p.curvatureProduct(v, xDot, c, true);
                String piece = switch (c) {
                    case EXACT -> "exact";
                    case GAUSS_NEWTON -> "gn";
                    case OBA -> "oba";
                };
                for (int j = 0; j < v.size(); j++) {
                    String name = v.parameter(j).spec().name();
                    out.put(piece + ".p." + name, cp.product().getOrZeros(j));
                    if (c == Curvature.EXACT) out.put("gp." + name, cp.gradient().getOrZeros(j));
                }
                for (String x : xDot.keySet()) {
                    Tensor r = cp.inputProducts().get(x);
                    out.put(piece + "." + x, r != null ? r : Tensor.zeros(in.get(x).shape()));
                    if (c == Curvature.EXACT) out.put("g" + x, cp.inputGradients().get(x));
                }
            }
        }
        return out;
    }

    /** Runs every comparison of the fixture {@code ops/vit/<name>.txt} on {@code op} applied to inputs {@code slots}. */
    static void check(String name, Op op, int... slots) {
        Fixtures fx = Fixtures.load("ops/vit/" + name + ".txt");
        Op rebuilt = OpRegistry.create(op.kind(), op.attrs());
        assertEquals(op.attrs(), rebuilt.attrs(), name + ": attrs round trip");
        assertEquals(op.getClass(), rebuilt.getClass(), name + ": kind round trip");
        Graph g = graph(fx, rebuilt, slots);
        Map<String, int[]> before = DerivativeCheck.snapshot(g);
        int threads = Parallel.threads();
        Map<String, Tensor> one, two, scalar;
        try {
            Parallel.setThreads(1);
            one = run(fx, g);
            Parallel.setThreads(2);
            two = run(fx, g);
            Simd.setForceScalar(true);
            scalar = run(fx, g);
        } finally {
            Parallel.setThreads(threads);
            Simd.setForceScalar(false);
        }
        DerivativeCheck.assertUnchanged(g, before, "the fixture passes");
        List<String> compared = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : one.entrySet()) {
            String key = e.getKey();
            Assertions2.assertBitIdentical(name + " " + key + " with 1 vs 2 threads", e.getValue().toArray(), two.get(key).toArray());
            assertTrue(fx.has(key), name + ": fixture lacks " + key);
            Fixtures.Array expected = fx.array(key);
            Assertions2.assertClose(name + " " + key, expected, e.getValue(), RTOL, atol(expected));
            Assertions2.assertClose(name + " " + key + " (scalar kernels)", expected, scalar.get(key), RTOL, atol(expected));
            compared.add(key);
        }
        assertTrue(compared.contains("exact." + (fx.has("xdot0") ? "x0" : "p.weight")), name + ": nothing compared");
    }

    static double atol(Fixtures.Array a) {
        return ATOL_OF_MAX * maxAbs(a) + 1e-7;
    }

    static double maxAbs(Fixtures.Array a) {
        double m = 0;
        for (double v : a.values()) m = Math.max(m, Math.abs(v));
        return m;
    }
}
