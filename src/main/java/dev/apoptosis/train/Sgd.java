package dev.apoptosis.train;

import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.checkpoint.OptimizerState;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, with PyTorch's
 * semantics (no dampening), updating every trainable parameter of a graph in place.
 *
 * <p>For each parameter θ with gradient g, learning rate η, momentum μ and weight decay λ:
 * <pre>
 *   d   = g + λ·θ
 *   buf = μ·buf + d          (buf starts at 0, so the first step sets buf = d)
 *   s   = nesterov ? d + μ·buf : buf      (s = d when μ = 0)
 *   θ  -= η·s
 * </pre>
 * All arithmetic is float32, element by element in the order written, so a step agrees with
 * PyTorch's {@code torch.optim.SGD} to float32 rounding (PyTorch fuses some multiply-adds) and is
 * bit-identical whatever the thread count.
 *
 * <p>The momentum buffers are the optimiser's whole state: {@link #state()} exports them (with the
 * step count) for a checkpoint and {@link #loadState} restores them, so a resumed run continues
 * exactly. A {@code null} gradient slot means a zero gradient (decay and momentum still apply).
 *
 * <p>A parameter with a mask ({@link Parameter#mask()}, unstructured pruning) keeps its masked
 * entries and their momentum at exactly zero, whatever the gradient, decay or Nesterov term.
 */
public final class Sgd {
    /** Kind name stored in checkpoints. */
    public static final String KIND = "sgd";

    private final List<Parameter> params;
    private final SgdConfig config;
    private final Tensor[] buffers;
    private long steps;

    public Sgd(Graph graph, SgdConfig config) {
        this.params = graph.parameters();
        this.config = config;
        this.buffers = new Tensor[params.size()];
    }

    public SgdConfig config() {
        return config;
    }

    /** Number of steps taken so far (restored by {@link #loadState}). */
    public long steps() {
        return steps;
    }

    /** Applies one update with learning rate {@code lr} to every trainable parameter. */
    public void step(ParamVector grad, double lr) {
        if (grad.size() != params.size()) {
            throw new IllegalArgumentException("Sgd.step: gradient has " + grad.size() + " slots, graph has "
                    + params.size() + " parameters");
        }
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("Sgd.step: learning rate must be finite and >= 0, got " + lr);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (grad.parameter(i) != p) throw new IllegalArgumentException("Sgd.step: gradient slot " + i + " is " + grad.parameter(i).name() + ", expected " + p.name());
            Tensor g = grad.get(i);
            if (g != null && g.size() != p.size()) {
                throw new IllegalArgumentException("Sgd.step: gradient of " + p.name() + " has " + g.size()
                        + " values, parameter has " + p.size());
            }
            if (config.momentum() != 0 && buffers[i] == null) buffers[i] = Tensor.zeros(p.value().shape());
            update(p.value(), g, buffers[i], p.mask(), (float) lr);
        }
        steps++;
    }

    private void update(Tensor theta, Tensor g, Tensor buf, Tensor mask, float lr) {
        final float mu = (float) config.momentum();
        final float wd = (float) config.weightDecay();
        final boolean nesterov = config.nesterov();
        final float[] t = theta.data(), gd = g == null ? null : g.data(), bd = buf == null ? null : buf.data();
        final int to = theta.offset(), go = g == null ? 0 : g.offset(), bo = buf == null ? 0 : buf.offset();
        final float[] md = mask == null ? null : mask.data();
        final int mo = mask == null ? 0 : mask.offset();
        Parallel.forRange(theta.size(), 1 << 15, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                if (md != null && md[mo + k] == 0f) {
                    // A pruned entry stays exactly zero, and so does its momentum.
                    t[to + k] = 0f;
                    if (bd != null) bd[bo + k] = 0f;
                    continue;
                }
                float d = gd == null ? 0f : gd[go + k];
                if (wd != 0f) d += wd * t[to + k];
                float s = d;
                if (bd != null) {
                    float b = mu * bd[bo + k] + d;
                    bd[bo + k] = b;
                    s = nesterov ? d + mu * b : b;
                }
                t[to + k] -= lr * s;
            }
        });
    }

    /** A copy of the state: step count and momentum buffers by parameter name (only those created so far). */
    public OptimizerState state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) if (buffers[i] != null) m.put(params.get(i).name(), buffers[i].copy());
        return new OptimizerState(KIND, steps, m);
    }

    /**
     * Restores a state exported by {@link #state()} for the same architecture; every buffer must
     * name a trainable parameter and have its shape, and nothing is changed if any does not.
     */
    public void loadState(OptimizerState s) {
        if (!KIND.equals(s.kind())) throw new IllegalArgumentException("Sgd.loadState: optimiser state is of kind '" + s.kind() + "', expected '" + KIND + "'");
        Tensor[] next = new Tensor[params.size()];
        Map<String, Tensor> remaining = new LinkedHashMap<>(s.tensors());
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor b = remaining.remove(p.name());
            if (b == null) {
                // After a step with momentum every parameter has a buffer (created at the first step); a missing
                // one would restart from zero and silently break the bit-identical resume.
                if (s.step() > 0 && config.momentum() != 0) {
                    throw new IllegalArgumentException("Sgd.loadState: the momentum buffer of " + p.name() + " is missing after "
                            + s.step() + " steps with momentum " + config.momentum() + "; resuming would not reproduce the run");
                }
                continue;
            }
            if (!b.hasShape(p.spec().shape())) {
                throw new IllegalArgumentException("Sgd.loadState: momentum buffer of " + p.name() + " has shape "
                        + java.util.Arrays.toString(b.shape()) + ", parameter has " + java.util.Arrays.toString(p.spec().shape()));
            }
            next[i] = b.copy();
        }
        if (!remaining.isEmpty()) throw new IllegalArgumentException("Sgd.loadState: buffers for unknown parameters " + remaining.keySet());
        System.arraycopy(next, 0, buffers, 0, next.length);
        steps = s.step();
    }
}
