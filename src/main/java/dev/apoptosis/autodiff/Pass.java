package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Accumulation;
import dev.apoptosis.graph.Loss;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Recycler;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One forward pass of a graph on one batch, and the derivative passes that reuse it.
 *
 * <p>Start with {@link #forward}. Then, for a loss L on the output:
 * <ul>
 * <li>{@link #backward}: parameter gradients (and, on request, every node's output adjoint);</li>
 * <li>{@link #tangents}: every node's output tangent ẏ along a parameter direction v;</li>
 * <li>{@link #curvatureProduct}: one tangent pass plus one reverse pass carrying adjoints and
 *     R-adjoints together (Pearlmutter), giving H·v ({@link Curvature#EXACT}), G·v
 *     ({@link Curvature#GAUSS_NEWTON}) or OBA's terms ({@link Curvature#OBA}), and optionally the gradient.</li>
 * </ul>
 * None of these passes changes the model: parameters and buffers are read only (a {@link Mode#TRAIN}
 * forward alone updates BatchNorm running statistics, as a training step must).
 *
 * <p>Memory: with {@code keepForBackward == false} every activation is released as soon as its last
 * consumer has run; otherwise frames are kept until the reverse pass is done with them. A pass
 * supports any number of derivative passes until {@link #close}. A {@link Mode#TRAIN} pass that keeps
 * its frames, and any pass that keeps none (inference), lets ReLU and Add compute their outputs over
 * an input nothing else reads (see {@link Frame#donatedInput}); the overwritten node's output is then
 * gone, and {@link #nodeOutput} says so. Passes in the other modes (importance estimates run in {@link Mode#BATCH_STATS}) keep
 * every node's output.
 *
 * <p>Storage: the activations, adjoints and tangents this pass's rules made go back to the
 * {@link Recycler} when the pass is done with them (a pass that keeps nothing: at the end of its forward;
 * otherwise: at {@link #close}), for the next pass's rules to write over, except what it handed out:
 * the graph's output, {@link #nodeOutput}s, returned adjoints, tangents and gradients, and anything sharing
 * storage with the caller's tensors (inputs, seeds, directions) or the model's parameters and buffers. So
 * nothing a caller holds is ever reused; a caller that keeps a tensor of a closed pass it was not handed
 * (a frame's saved state, say) must copy it.
 *
 * <p>Profiling: a {@link PassProfiler} given to {@link #forward(Graph, Map, Mode, long, boolean, PassProfiler)}
 * or {@link #setProfiler} is told the wall time of every op rule this pass runs (forward, backward,
 * tangent, rBackward), node by node. Off by default; then each rule runs directly after one {@code null} test.
 */
public final class Pass implements AutoCloseable {
    private final Graph graph;
    private final List<Node> nodes;
    private final Frame[] frames;
    private final Mode mode;
    private final boolean keep;
    private Tensor output;
    private Loss.Evaluation loss;
    private boolean closed;
    private PassProfiler profiler;
    /** For each node whose output a consumer overwrote in place, that consumer's name. */
    private final String[] overwrittenBy;
    /** Tensors this pass's rules made (outputs, adjoints, tangents): given back to the Recycler at close. */
    private final List<Tensor> made = new ArrayList<>();
    /** Storage never given back: handed to the caller, or the caller's or the model's own. */
    private final Set<float[]> kept = Collections.newSetFromMap(new IdentityHashMap<>());

    private Pass(Graph graph, Mode mode, boolean keep) {
        this.graph = graph;
        this.nodes = graph.nodes();
        this.frames = new Frame[nodes.size()];
        this.mode = mode;
        this.keep = keep;
        this.overwrittenBy = new String[nodes.size()];
    }

    /** Runs the graph on one input (the graph must have exactly one input node). */
    public static Pass forward(Graph g, Tensor input, Mode mode) {
        if (g.inputs().size() != 1) {
            throw new IllegalArgumentException("graph '" + g.name() + "' has " + g.inputs().size()
                    + " inputs; pass them by name");
        }
        return forward(g, Map.of(g.inputs().get(0).name(), input), mode, 0L, true);
    }

    /**
     * Runs the graph. {@code inputs} maps every input node's name to a batch [N, sample shape...];
     * {@code seed} drives stochastic ops (Dropout); {@code keepForBackward} keeps what derivative passes need.
     */
    public static Pass forward(Graph g, Map<String, Tensor> inputs, Mode mode, long seed, boolean keepForBackward) {
        return forward(g, inputs, mode, seed, keepForBackward, null);
    }

    /**
     * {@link #forward(Graph, Map, Mode, long, boolean)} reporting every forward rule to {@code profiler}
     * (none if {@code null}); the profiler stays attached for this pass's derivative passes.
     */
    public static Pass forward(Graph g, Map<String, Tensor> inputs, Mode mode, long seed, boolean keepForBackward,
                               PassProfiler profiler) {
        Pass p = new Pass(g, mode, keepForBackward);
        p.profiler = profiler;
        p.run(inputs, seed);
        return p;
    }

    /** Attaches {@code profiler} to this pass's later derivative passes, or detaches it ({@code null}). */
    public void setProfiler(PassProfiler profiler) {
        this.profiler = profiler;
    }

    private void run(Map<String, Tensor> inputs, long seed) {
        for (String k : inputs.keySet()) {
            Node n = graph.node(k);
            if (!n.isInput()) throw new IllegalArgumentException("'" + k + "' is not an input of graph '" + graph.name() + "'");
        }
        int[] pendingConsumers = consumerCounts();
        final int[] consumers = consumerCounts();
        // A pass that keeps nothing runs no rule after the forward ones, so any sole consumer may take its input.
        final boolean donate = !keep || mode == Mode.TRAIN;
        Tensor[] outs = new Tensor[nodes.size()];
        int batch = -1;
        for (Node n : nodes) {
            Tensor y;
            Tensor[] ins = new Tensor[n.inputs().size()];
            for (int i = 0; i < ins.length; i++) ins[i] = outs[n.inputs().get(i).index()];
            Frame f = new Frame(n, ins, values(n.params()), values(n.buffers()), mode,
                    new Random(seed * 1_000_003L + n.index()));
            if (n.isInput()) {
                y = inputs.get(n.name());
                if (y == null) throw new IllegalArgumentException("graph '" + graph.name() + "': no tensor for input '" + n.name() + "'");
                checkBatchShape(n, y);
            } else {
                Tensor[] given = donate ? donations(n, ins, consumers) : null;
                f.donate(given);
                y = timed(n, PassProfiler.Phase.FORWARD, () -> n.op().forward(f));
                made.add(y);
                f.donate(null);
                for (int i = 0; i < ins.length; i++) {
                    if (f.took(i)) overwrittenBy[n.inputs().get(i).index()] = n.name();
                }
            }
            if (batch < 0) batch = y.dim(0);
            else if (y.rank() == 0 || y.dim(0) != batch) {
                throw new IllegalStateException("node '" + n.name() + "' produced shape " + Arrays.toString(y.shape())
                        + ", batch size " + batch + " expected");
            }
            f.output = y;
            outs[n.index()] = y;
            frames[n.index()] = f;
            if (!keep) {
                // Released with its output: the frame is only needed to vet donations of that output.
                for (Node in : n.inputs()) {
                    if (--pendingConsumers[in.index()] == 0 && in != graph.output()) {
                        outs[in.index()] = null;
                        frames[in.index()] = null;
                    }
                }
            }
        }
        output = outs[graph.output().index()];
        keep(output);
        for (Tensor t : inputs.values()) keep(t);
        if (!keep) {
            Arrays.fill(frames, null);
            recycle();
        }
    }

    /** Marks {@code t}'s storage as never to be given back (null is ignored); returns t. */
    private Tensor keep(Tensor t) {
        if (t != null) kept.add(t.data());
        return t;
    }

    private void keepAll(ParamVector v) {
        if (v == null) return;
        for (int i = 0; i < v.size(); i++) keep(v.get(i));
    }

    private Map<String, Tensor> keepAll(Map<String, Tensor> m) {
        if (m != null) for (Tensor t : m.values()) keep(t);
        return m;
    }

    /**
     * Gives the storage of every tensor in {@link #made} back to the {@link Recycler}, once each, except
     * {@link #kept} storage and the model's parameters and buffers.
     */
    private void recycle() {
        for (Parameter p : graph.parameters()) keep(p.value());
        for (Node n : nodes) for (Parameter b : n.buffers()) keep(b.value());
        Set<float[]> given = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : made) {
            if (t != null && !kept.contains(t.data()) && given.add(t.data())) Recycler.give(t.data());
        }
        made.clear();
    }

    /**
     * The inputs of {@code n} that its forward rule may overwrite (see {@link Frame#donatedInput}), or
     * null when there are none: n is the input's only consumer, the input is neither a graph input nor
     * the graph output, its producer's rules do not read their own output, and its storage is a whole
     * array shared with none of the producer's inputs, parameters or buffers (so not a view).
     */
    private Tensor[] donations(Node n, Tensor[] ins, int[] consumers) {
        Tensor[] given = null;
        for (int i = 0; i < ins.length; i++) {
            Node in = n.inputs().get(i);
            if (in.isInput() || in == graph.output() || consumers[in.index()] != 1) continue;
            if (in.op().has(OpProperty.READS_OWN_OUTPUT)) continue;
            Tensor t = ins[i];
            if (t.offset() != 0 || t.size() != t.data().length || sharesStorage(t, frames[in.index()])) continue;
            if (given == null) given = new Tensor[ins.length];
            given[i] = t;
        }
        return given;
    }

    /** True if t shares storage with a live input (one the producer did not write over), parameter or buffer of producer. */
    private static boolean sharesStorage(Tensor t, Frame producer) {
        for (int i = 0; i < producer.inputs.length; i++) {
            Tensor u = producer.inputs[i];
            if (u != null && u.data() == t.data() && !producer.took(i)) return true;
        }
        for (Tensor[] group : new Tensor[][] {producer.params, producer.buffers}) {
            for (Tensor u : group) if (u != null && u.data() == t.data()) return true;
        }
        return false;
    }

    /** {@code rule}'s result for node {@code n}, timed for the {@link PassProfiler} when there is one. */
    private Tensor timed(Node n, PassProfiler.Phase phase, java.util.function.Supplier<Tensor> rule) {
        if (profiler == null) return rule.get();
        profiler.begin(n, phase);
        long t0 = System.nanoTime();
        Tensor y = rule.get();
        profiler.record(n, phase, System.nanoTime() - t0);
        return y;
    }

    /** Runs {@code rule} for node {@code n}, timed for the {@link PassProfiler} when there is one. */
    private void timed(Node n, PassProfiler.Phase phase, Runnable rule) {
        timed(n, phase, () -> {
            rule.run();
            return null;
        });
    }

    private static void checkBatchShape(Node n, Tensor y) {
        int[] s = n.outputShape();
        int[] ys = y.shape();
        if (ys.length != s.length + 1 || !Arrays.equals(Arrays.copyOfRange(ys, 1, ys.length), s)) {
            throw new IllegalArgumentException("input '" + n.name() + "': expected [N, " + Arrays.toString(s).substring(1)
                    + " got " + Arrays.toString(ys));
        }
    }

    private int[] consumerCounts() {
        int[] c = new int[nodes.size()];
        for (Node n : nodes) for (Node in : n.inputs()) c[in.index()]++;
        return c;
    }

    private static Tensor[] values(List<Parameter> ps) {
        Tensor[] t = new Tensor[ps.size()];
        for (int i = 0; i < t.length; i++) t[i] = ps.get(i).value();
        return t;
    }

    public Graph graph() {
        return graph;
    }

    public Mode mode() {
        return mode;
    }

    /** The graph's output for this batch. */
    public Tensor output() {
        check();
        return output;
    }

    /** The output of any node (only while frames are kept). */
    public Tensor nodeOutput(String nodeName) {
        Node n = graph.node(nodeName);
        Frame f = frame(n);
        if (overwrittenBy[n.index()] != null) {
            throw new IllegalStateException("the output of node '" + nodeName + "' was overwritten in place by '"
                    + overwrittenBy[n.index()] + "' in this TRAIN pass; run the forward pass in BATCH_STATS mode"
                    + " (same statistics, no in-place outputs) to read it");
        }
        return keep(f.output);
    }

    /** Evaluates {@code lossFn} on the output; later derivative passes start from this loss. */
    public double loss(Loss lossFn, int[] labels) {
        check();
        loss = lossFn.evaluate(output, labels);
        return loss.value();
    }

    /** The loss evaluation of the last {@link #loss} call. */
    public Loss.Evaluation lossEvaluation() {
        if (loss == null) throw new IllegalStateException("no loss evaluated on this pass: call loss(...) first");
        return loss;
    }

    /** What a backward pass returns. */
    public record Gradients(ParamVector parameters, Map<String, Tensor> nodeAdjoints) {}

    /**
     * What a curvature pass returns: the curvature product (H·v, G·v or OBA terms) and, if asked, the
     * gradient; for graph inputs given a tangent, the input blocks of both (by input name).
     */
    public record CurvatureProduct(ParamVector product, ParamVector gradient, Map<String, Tensor> inputProducts,
                                   Map<String, Tensor> inputGradients) {}

    /** Gradients of the last loss; {@code keepNodeAdjoints} also returns every node's output adjoint ∂L/∂y. */
    public Gradients backward(boolean keepNodeAdjoints) {
        return backwardFrom(lossEvaluation().gradient(), keepNodeAdjoints);
    }

    /** Gradients for an arbitrary output adjoint seed {@code gOutput} (the loss is then Σ gOutput ⊙ output). */
    public Gradients backwardFrom(Tensor gOutput, boolean keepNodeAdjoints) {
        check();
        keep(gOutput);
        Reverse r = reverse(gOutput, null, null, null, null, true, keepNodeAdjoints, java.util.Set.of());
        keepAll(r.grad);
        return new Gradients(r.grad, keepAll(r.nodeAdjoints));
    }

    /** Output tangents ẏ of every node (by name) along {@code v}; nodes not reached by v are absent. */
    public Map<String, Tensor> tangents(ParamVector v) {
        return tangents(v, Map.of());
    }

    /** Output tangents along {@code v} and the given tangents of graph inputs (by input name). */
    public Map<String, Tensor> tangents(ParamVector v, Map<String, Tensor> inputTangents) {
        Tensor[] t = tangentPass(v, inputTangents);
        Map<String, Tensor> m = new HashMap<>();
        for (Node n : nodes) if (t[n.index()] != null) m.put(n.name(), keep(t[n.index()]));
        return m;
    }

    /** Curvature product along {@code v} for the last loss, with the gradient if {@code withGradient}. */
    public CurvatureProduct curvatureProduct(ParamVector v, Curvature c, boolean withGradient) {
        return curvatureProduct(v, Map.of(), c, withGradient);
    }

    /**
     * Curvature product along the joint direction (v, input tangents) for the last loss. With input
     * tangents, the result's input blocks (ġ of each tangent-carrying input) are returned too.
     */
    public CurvatureProduct curvatureProduct(ParamVector v, Map<String, Tensor> inputTangents, Curvature c,
                                             boolean withGradient) {
        Loss.Evaluation l = lossEvaluation();
        Tensor[] tan = tangentPass(v, inputTangents);
        Tensor zDot = tan[graph.output().index()];
        Tensor gzDot = l.rGradient(zDot, c);
        keep(l.gradient());
        keep(gzDot);
        Reverse r = reverse(l.gradient(), gzDot, tan, v, c, withGradient, false, inputTangents.keySet());
        keepAll(r.rgrad);
        keepAll(r.grad);
        return new CurvatureProduct(r.rgrad, withGradient ? r.grad : null, keepAll(r.inputR), keepAll(r.inputG));
    }

    private Tensor[] tangentPass(ParamVector v, Map<String, Tensor> inputTangents) {
        check();
        if (v.size() != graph.parameters().size()) throw new IllegalArgumentException("direction does not belong to graph '" + graph.name() + "'");
        Tensor[] tan = new Tensor[nodes.size()];
        Map<Parameter, Integer> slot = slots();
        keepAll(v);
        for (Map.Entry<String, Tensor> e : inputTangents.entrySet()) {
            Node n = graph.node(e.getKey());
            if (!n.isInput()) throw new IllegalArgumentException("'" + e.getKey() + "' is not an input of graph '" + graph.name() + "'");
            if (!e.getValue().sameShape(frame(n).output)) {
                throw new IllegalArgumentException("tangent of input '" + n.name() + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + ", input has " + Arrays.toString(frame(n).output.shape()));
            }
            tan[n.index()] = keep(e.getValue());
        }
        for (Node n : nodes) {
            if (n.isInput()) continue;
            Tensor[] xDot = new Tensor[n.inputs().size()];
            for (int i = 0; i < xDot.length; i++) xDot[i] = tan[n.inputs().get(i).index()];
            Tensor[] pDot = paramSlice(n, v, slot);
            if (allNull(xDot) && allNull(pDot)) continue;
            Frame f = frame(n);
            tan[n.index()] = timed(n, PassProfiler.Phase.TANGENT, () -> n.op().tangent(f, xDot, pDot));
            made.add(tan[n.index()]);
        }
        return tan;
    }

    private Map<Parameter, Integer> slots() {
        Map<Parameter, Integer> m = new HashMap<>();
        List<Parameter> ps = graph.parameters();
        for (int i = 0; i < ps.size(); i++) m.put(ps.get(i), i);
        return m;
    }

    private static Tensor[] paramSlice(Node n, ParamVector v, Map<Parameter, Integer> slot) {
        Tensor[] t = new Tensor[n.params().size()];
        if (v == null) return t;
        for (int j = 0; j < t.length; j++) t[j] = v.get(slot.get(n.params().get(j)));
        return t;
    }

    private static final class Reverse {
        ParamVector grad;
        ParamVector rgrad;
        Map<String, Tensor> nodeAdjoints;
        final Map<String, Tensor> inputG = new HashMap<>();
        final Map<String, Tensor> inputR = new HashMap<>();
    }

    /**
     * The reverse pass. Carries adjoints g (always) and, when {@code tan != null}, R-adjoints ġ.
     * A node's adjoint is computed only if some parameter lies at or before it (or all are kept).
     */
    private Reverse reverse(Tensor gOut, Tensor gOutDot, Tensor[] tan, ParamVector v, Curvature c,
                            boolean wantGrad, boolean keepAdj, java.util.Set<String> inputsWanted) {
        if (!keep) throw new IllegalStateException("this pass did not keep activations (keepForBackward=false)");
        Node out = graph.output();
        if (!gOut.sameShape(output)) {
            throw new IllegalArgumentException("output adjoint has shape " + Arrays.toString(gOut.shape())
                    + ", output has " + Arrays.toString(output.shape()));
        }
        boolean second = tan != null;
        boolean[] need = adjointNeeded(keepAdj, inputsWanted);
        Map<Parameter, Integer> slot = slots();
        Tensor[] adj = new Tensor[nodes.size()];
        Tensor[] radj = second ? new Tensor[nodes.size()] : null;
        // adjOwned[k]: adj[k] is the engine's own (see Accumulation), so later contributions go in place.
        boolean[] adjOwned = new boolean[nodes.size()];
        boolean[] radjOwned = second ? new boolean[nodes.size()] : null;
        adj[out.index()] = gOut;
        if (second) radj[out.index()] = gOutDot;
        Reverse r = new Reverse();
        r.grad = ParamVector.zeros(graph);
        r.rgrad = second ? ParamVector.zeros(graph) : null;
        r.nodeAdjoints = keepAdj ? new HashMap<>() : null;
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            Tensor gy = adj[k];
            if (gy == null || n.isInput()) {
                if (keepAdj && gy != null) r.nodeAdjoints.put(n.name(), gy);
                if (n.isInput() && inputsWanted.contains(n.name())) {
                    if (gy != null) r.inputG.put(n.name(), gy);
                    if (second && radj[k] != null) r.inputR.put(n.name(), radj[k]);
                }
                continue;
            }
            if (keepAdj) r.nodeAdjoints.put(n.name(), gy);
            Frame f = frame(n);
            boolean[] wantIn = new boolean[n.inputs().size()];
            for (int i = 0; i < wantIn.length; i++) wantIn[i] = need[n.inputs().get(i).index()];
            int np = n.params().size();
            // gy is donated when nothing reads it after this rule: the engine's own tensor, adjoints not
            // returned to the caller, and no rBackward that reads it next (a piecewise-linear op's has no
            // second-order term, so it reads only ġ).
            boolean gyReadLater = second && !n.op().has(OpProperty.PIECEWISE_LINEAR);
            Tensor donate = !gyReadLater && !keepAdj && adjOwned[k] ? gy : null;
            Adjoints a = new Adjoints(wantIn, np, (wantGrad || !second) && np > 0, donate);
            boolean anyIn = false;
            for (boolean w : wantIn) anyIn |= w;
            if (anyIn || a.wantsParam(0)) timed(n, PassProfiler.Phase.BACKWARD, () -> n.op().backward(f, gy, a));
            for (int i = 0; i < wantIn.length; i++) {
                if (wantIn[i]) accumulate(adj, adjOwned, n.inputs().get(i).index(), a, i);
            }
            if (a.wantsParam(0)) {
                for (int j = 0; j < np; j++) {
                    int s = slot.get(n.params().get(j));
                    r.grad.set(s, sum(r.grad.get(s), a.paramAdjoint(j)));
                }
            }
            if (second) {
                Tensor[] xDot = new Tensor[wantIn.length];
                for (int i = 0; i < xDot.length; i++) xDot[i] = tan[n.inputs().get(i).index()];
                Tensor[] pDot = paramSlice(n, v, slot);
                Tensor gyDot = radj[k];
                if (gyDot != null || !allNull(xDot) || !allNull(pDot)) {
                    // ġ is read by no one after its node's rBackward.
                    Adjoints ra = new Adjoints(wantIn, np, np > 0, !keepAdj && radjOwned[k] ? gyDot : null);
                    timed(n, PassProfiler.Phase.R_BACKWARD, () -> n.op().rBackward(f, gy, gyDot, xDot, pDot, c, ra));
                    for (int i = 0; i < wantIn.length; i++) {
                        if (wantIn[i]) accumulate(radj, radjOwned, n.inputs().get(i).index(), ra, i);
                    }
                    for (int j = 0; j < np; j++) {
                        int s = slot.get(n.params().get(j));
                        r.rgrad.set(s, sum(r.rgrad.get(s), ra.paramAdjoint(j)));
                    }
                }
                radj[k] = null;
            }
            adj[k] = null;
        }
        return r;
    }

    /**
     * adjoint needed at node n iff n or an ancestor owns trainable parameters or is an input whose
     * adjoint was asked for (or all are kept). Wanted inputs must seed the propagation: marking only
     * the input itself would starve the parameter-free ops between it and the first parameter layer.
     */
    private boolean[] adjointNeeded(boolean all, java.util.Set<String> wantedInputs) {
        boolean[] need = new boolean[nodes.size()];
        for (Node n : nodes) {
            boolean b = all || !n.params().isEmpty() || wantedInputs.contains(n.name());
            for (Node in : n.inputs()) b |= need[in.index()];
            need[n.index()] = b;
        }
        return need;
    }

    /**
     * Adds input i's contribution in {@code a} to {@code slots[k]}, in place when either term is owned.
     * Every slot is complete before its node's rules read it (reverse topological order), and a complete
     * slot is never written again, so tensors handed to rules or returned to the caller are never changed.
     */
    private void accumulate(Tensor[] slots, boolean[] owned, int k, Adjoints a, int i) {
        Tensor t = a.inputAdjoint(i);
        if (t == null) return;
        made.add(t);
        if (slots[k] == null) {
            slots[k] = t;
            owned[k] = a.ownsInputAdjoint(i);
        } else {
            slots[k] = Accumulation.add(slots[k], owned[k], t, a.ownsInputAdjoint(i));
            made.add(slots[k]);
            owned[k] = true;
        }
    }

    private static Tensor sum(Tensor acc, Tensor t) {
        if (t == null) return acc;
        return acc == null ? t : Elementwise.add(acc, t);
    }

    private static boolean allNull(Tensor[] ts) {
        for (Tensor t : ts) if (t != null) return false;
        return true;
    }

    private Frame frame(Node n) {
        check();
        Frame f = frames[n.index()];
        if (f == null) throw new IllegalStateException("pass did not keep the frame of node '" + n.name() + "'");
        return f;
    }

    private void check() {
        if (closed) throw new IllegalStateException("pass is closed");
    }

    /** Releases every kept activation. */
    @Override
    public void close() {
        if (!closed && keep) recycle();
        closed = true;
        Arrays.fill(frames, null);
        output = null;
        loss = null;
    }
}
