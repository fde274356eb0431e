package dev.apoptosis.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Loss;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Central finite-difference oracle for the engine's four rules on any graph.
 *
 * <p>Along a random joint direction (v over parameters, ẋ over the inputs named in
 * {@code differentiableInputs}), with f(t) = the pass at θ + t·v, x + t·ẋ:
 * <ul>
 * <li>gradient: (L(ε) − L(−ε)) / 2ε ≈ g·v + g_x·ẋ, and the same per parameter slot;</li>
 * <li>tangent: (y(ε) − y(−ε)) / 2ε ≈ ẏ (output tangent);</li>
 * <li>Hessian-vector product: (∇L(ε) − ∇L(−ε)) / 2ε ≈ H·(v, ẋ) in {@link Curvature#EXACT} mode,
 *     for the parameter and input blocks.</li>
 * </ul>
 * Comparisons are relative to the norm of the expected value. Parameters are restored exactly afterwards.
 */
public final class DerivativeCheck {
    private final Graph graph;
    private final Map<String, Tensor> inputs;
    private final Loss loss;
    private final int[] labels;
    private Mode mode = Mode.BATCH_STATS;
    private Set<String> differentiableInputs;
    private double eps = 1e-3;
    private double tol = 1e-2;
    private long seed = 7;
    private boolean fourthOrder;

    public DerivativeCheck(Graph graph, Map<String, Tensor> inputs, Loss loss, int[] labels) {
        this.graph = graph;
        this.inputs = inputs;
        this.loss = loss;
        this.labels = labels;
        this.differentiableInputs = inputs.keySet();
    }

    public DerivativeCheck mode(Mode m) {
        this.mode = m;
        return this;
    }

    public DerivativeCheck eps(double e) {
        this.eps = e;
        return this;
    }

    public DerivativeCheck tolerance(double t) {
        this.tol = t;
        return this;
    }

    public DerivativeCheck seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Uses the fourth-order central stencil (8(f(ε) − f(−ε)) − (f(2ε) − f(−2ε)))/12ε instead of
     * (f(ε) − f(−ε))/2ε. For deep float32 networks the second-order stencil has no good ε: small ε
     * drowns in float32 rounding of the loss, large ε in truncation error; the fourth-order stencil
     * allows a larger ε at the cost of twice the passes.
     */
    public DerivativeCheck fourthOrder() {
        this.fourthOrder = true;
        return this;
    }

    /** Inputs that get a tangent (e.g. exclude integer token ids). */
    public DerivativeCheck differentiableInputs(Set<String> names) {
        this.differentiableInputs = names;
        return this;
    }

    /**
     * Runs all checks; fails with a message naming what disagreed.
     *
     * @throws IllegalArgumentException if there is nothing to differentiate along (no parameters
     *     and no differentiable inputs), or a differentiable input is not among the inputs given
     */
    public void run() {
        for (String in : differentiableInputs) {
            if (!inputs.containsKey(in)) {
                throw new IllegalArgumentException("DerivativeCheck: differentiable input '" + in
                        + "' is not among the inputs given " + inputs.keySet());
            }
        }
        if (graph.parameters().isEmpty() && differentiableInputs.isEmpty()) {
            throw new IllegalArgumentException("DerivativeCheck: nothing to check: graph '" + graph.name()
                    + "' has no parameters and no differentiable inputs (see differentiableInputs)");
        }
        Random rng = new Random(seed);
        ParamVector v = ParamVector.zeros(graph);
        for (int i = 0; i < v.size(); i++) v.set(i, Tensor.randn(rng, 1f, graph.parameters().get(i).spec().shape()));
        Map<String, Tensor> xDot = new HashMap<>();
        for (String in : differentiableInputs) xDot.put(in, Tensor.randn(rng, 1f, inputs.get(in).shape()));

        Pass.CurvatureProduct hv;
        Tensor yDot;
        double gDotV;
        ParamVector grad;
        try (Pass p = Pass.forward(graph, inputs, mode, seed, true)) {
            p.loss(loss, labels);
            hv = p.curvatureProduct(v, xDot, Curvature.EXACT, true);
            yDot = p.tangents(v, xDot).get(graph.output().name());
            grad = hv.gradient();
            gDotV = grad.dot(v);
            for (String in : xDot.keySet()) gDotV += dot(hv.inputGradients().get(in), xDot.get(in));
        }
        // Gradient: directional derivative of L.
        double fd = difference(t -> lossAt(v, xDot, t));
        assertScalarClose("directional derivative of the loss (gradient rule)", fd, gDotV);
        // Gradient per parameter slot (localises a wrong parameter rule).
        for (int i = 0; i < v.size(); i++) {
            ParamVector vi = ParamVector.zeros(graph);
            vi.set(i, v.get(i));
            double d = difference(t -> lossAt(vi, Map.of(), t));
            double an = dot(grad.get(i), v.get(i));
            assertScalarClose("gradient of " + graph.parameters().get(i).name(), d, an);
        }
        // Tangent: directional derivative of the output.
        Tensor[] ys = stencil(t -> outputAt(v, xDot, t));
        assertVectorClose("output tangent (tangent rule)", fdiff(ys[0], ys[1], ys[2], ys[3]), yDot);
        // H·v: directional derivative of the gradient.
        Grad[] gs = new Grad[4];
        for (int k = 0; k < (fourthOrder ? 4 : 2); k++) gs[k] = gradAt(v, xDot, STENCIL[k] * eps);
        for (int i = 0; i < v.size(); i++) {
            final int slot = i;
            Tensor expect = fdiff(gs, g -> g.params.getOrZeros(slot));
            assertVectorClose("H·v block of " + graph.parameters().get(i).name() + " (rBackward rule)", expect,
                    hv.product().getOrZeros(i));
        }
        for (String in : xDot.keySet()) {
            Tensor expect = fdiff(gs, g -> g.inputs.get(in));
            Tensor got = hv.inputProducts().get(in);
            assertVectorClose("H·v block of input " + in + " (rBackward rule)", expect,
                    got != null ? got : Tensor.zeros(expect.shape()));
        }
    }

    private record Grad(ParamVector params, Map<String, Tensor> inputs) {}

    private <T> T at(ParamVector v, Map<String, Tensor> xDot, double t, java.util.function.Function<Pass, T> f) {
        List<Parameter> ps = graph.parameters();
        List<Tensor> saved = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            Tensor orig = ps.get(i).value();
            saved.add(orig);
            Tensor d = v.get(i);
            if (d == null) continue;
            Tensor moved = orig.copy();
            for (int k = 0; k < moved.size(); k++) moved.setAt(k, (float) (orig.at(k) + t * d.at(k)));
            ps.get(i).setValue(moved);
        }
        Map<String, Tensor> in = new HashMap<>(inputs);
        for (Map.Entry<String, Tensor> e : xDot.entrySet()) {
            Tensor x = inputs.get(e.getKey()).copy();
            for (int k = 0; k < x.size(); k++) x.setAt(k, (float) (x.at(k) + t * e.getValue().at(k)));
            in.put(e.getKey(), x);
        }
        try (Pass p = Pass.forward(graph, in, mode, seed, true)) {
            return f.apply(p);
        } finally {
            for (int i = 0; i < ps.size(); i++) ps.get(i).setValue(saved.get(i));
        }
    }

    private double lossAt(ParamVector v, Map<String, Tensor> xDot, double t) {
        return at(v, xDot, t, p -> p.loss(loss, labels));
    }

    private Tensor outputAt(ParamVector v, Map<String, Tensor> xDot, double t) {
        return at(v, xDot, t, p -> p.output().copy());
    }

    private Grad gradAt(ParamVector v, Map<String, Tensor> xDot, double t) {
        return at(v, xDot, t, p -> {
            p.loss(loss, labels);
            Pass.Gradients g = p.backward(true);
            Map<String, Tensor> gi = new HashMap<>();
            for (String in : xDot.keySet()) {
                Tensor a = g.nodeAdjoints().get(in);
                gi.put(in, a != null ? a : Tensor.zeros(inputs.get(in).shape()));
            }
            return new Grad(g.parameters(), gi);
        });
    }

    /** Offsets (in units of ε) at which the stencil evaluates: ±1, then ±2 for the fourth-order stencil. */
    private static final double[] STENCIL = {1, -1, 2, -2};

    /** Central difference of a scalar function of the step t. */
    private double difference(java.util.function.DoubleUnaryOperator f) {
        double c1 = (f.applyAsDouble(eps) - f.applyAsDouble(-eps)) / (2 * eps);
        if (!fourthOrder) return c1;
        double c2 = (f.applyAsDouble(2 * eps) - f.applyAsDouble(-2 * eps)) / (4 * eps);
        return (4 * c1 - c2) / 3;
    }

    /** A tensor function evaluated at the stencil's offsets; entries 2 and 3 are null for the second-order stencil. */
    private Tensor[] stencil(java.util.function.DoubleFunction<Tensor> f) {
        Tensor[] t = new Tensor[4];
        for (int k = 0; k < (fourthOrder ? 4 : 2); k++) t[k] = f.apply(STENCIL[k] * eps);
        return t;
    }

    /** Central difference of one part of the gradients at the stencil's offsets. */
    private Tensor fdiff(Grad[] gs, java.util.function.Function<Grad, Tensor> part) {
        Tensor[] t = new Tensor[gs.length];
        for (int k = 0; k < gs.length; k++) t[k] = gs[k] == null ? null : part.apply(gs[k]);
        return fdiff(t);
    }

    /** Central difference from values at +ε, −ε (and +2ε, −2ε if present). */
    private Tensor fdiff(Tensor... at) {
        Tensor p = at[0], m = at[1];
        boolean four = at.length > 3 && at[2] != null;
        Tensor d = Tensor.zeros(p.shape());
        for (int k = 0; k < d.size(); k++) {
            double c1 = (p.at(k) - (double) m.at(k)) / (2 * eps);
            if (four) c1 = (4 * c1 - (at[2].at(k) - (double) at[3].at(k)) / (4 * eps)) / 3;
            d.setAt(k, (float) c1);
        }
        return d;
    }

    private static double dot(Tensor a, Tensor b) {
        if (a == null || b == null) return 0;
        double s = 0;
        for (int k = 0; k < a.size(); k++) s += (double) a.at(k) * b.at(k);
        return s;
    }

    private void assertScalarClose(String what, double expected, double actual) {
        double scale = Math.max(Math.abs(expected), 1e-3);
        if (!(Math.abs(expected - actual) <= tol * scale)) {
            fail(what + ": finite differences give " + expected + ", engine gives " + actual + " (tol " + tol + ")");
        }
    }

    private void assertVectorClose(String what, Tensor expected, Tensor actual) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what + ": shape");
        double num = 0, den = 0;
        int worst = 0;
        double worstErr = -1;
        for (int k = 0; k < expected.size(); k++) {
            double e = expected.at(k), a = actual.at(k);
            num += (e - a) * (e - a);
            den += e * e;
            if (Math.abs(e - a) > worstErr) {
                worstErr = Math.abs(e - a);
                worst = k;
            }
        }
        double rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-3);
        if (!(rel <= tol)) {
            fail(what + ": relative error " + rel + " > " + tol + "; worst at " + worst + ": finite differences "
                    + expected.at(worst) + ", engine " + actual.at(worst));
        }
    }

    /** Bit-exact snapshot of all parameters and buffers, to prove a pass left the model unchanged. */
    public static Map<String, int[]> snapshot(Graph g) {
        Map<String, int[]> m = new HashMap<>();
        for (Map.Entry<String, Tensor> e : g.state().entrySet()) {
            Tensor t = e.getValue();
            int[] bits = new int[t.size()];
            for (int k = 0; k < bits.length; k++) bits[k] = Float.floatToRawIntBits(t.at(k));
            m.put(e.getKey(), bits);
        }
        return m;
    }

    /** Fails unless the graph's state is bit-identical to {@code before}. */
    public static void assertUnchanged(Graph g, Map<String, int[]> before, String after) {
        Map<String, int[]> now = snapshot(g);
        for (Map.Entry<String, int[]> e : before.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), now.get(e.getKey()))) {
                fail(e.getKey() + " changed after " + after);
            }
        }
    }
}
