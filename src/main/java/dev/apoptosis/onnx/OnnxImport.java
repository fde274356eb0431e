package dev.apoptosis.onnx;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.onnx.Val.Act;
import dev.apoptosis.onnx.Val.Const;
import dev.apoptosis.onnx.Val.Pending;
import dev.apoptosis.onnx.Val.Unusable;
import dev.apoptosis.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model into the graph IR. The ONNX graph is evaluated symbolically in its node order
 * (see {@link Val}): constants fold, shapes are computed with the batch size left unknown, and
 * multi-node forms wait in {@link Pending} values until the node that completes them; engine nodes
 * are added as the translation ({@link OnnxOps}) of each ONNX node requires.
 *
 * <p>Axis 0 of every input is the batch, and the engine's shapes are sample shapes: a Transpose or
 * Reshape that moves the batch or merges it with other axes gives a moved-batch view
 * ({@link MovedBatch}), on which only ops that keep the batch apart are accepted. Errors:
 * <ul>
 * <li>an op type the importer does not know, or from another domain: one error listing
 *     <em>every</em> such node with its name and op type;</li>
 * <li>a known op in a form the engine has no op for (an attribute value, a non-constant operand, a
 *     broken pattern): every such node, each with the attribute or reason; nodes that only read the
 *     outputs of a failed node are not listed again;</li>
 * <li>a malformed graph (a value read before any node, initializer or input defines it — which
 *     is what an out-of-order graph or a cycle looks like —, a value defined twice, tensors whose data
 *     do not match their dimensions, absurd input dimensions): the first problem.</li>
 * </ul>
 * All are {@link OnnxFormatException}s naming the file.
 */
public final class OnnxImport {
    /** The largest sample an input may declare (values); beyond it the dimensions are taken as absurd. */
    static final long MAX_SAMPLE = 1L << 28;

    /** The imported graph and the model's metadata properties (plus where it came from). */
    public record Result(Graph graph, Map<String, String> metadata) {}

    /** A node the engine cannot represent: collected, and reported together with the others. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String reason) {
            super(reason);
        }
    }

    final Path file;
    final long opset;
    final GraphBuilder builder;
    private final Map<String, Val> values = new HashMap<>();
    private final Set<String> poisoned = new HashSet<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, Node> views = new HashMap<>();
    /** Each pending pattern becomes at most one engine node, however many consumers read it on its own. */
    private final Map<Pending, Act> materialized = new java.util.IdentityHashMap<>();
    /** The ONNX node each pending pattern came from: the name of the engine node it may become. */
    private final Map<Val, String> pendingNames = new java.util.IdentityHashMap<>();
    /** Each fused projection of a moved-batch view becomes at most one Linear. */
    private final Map<Val.MovedLinear, Val> linears = new java.util.IdentityHashMap<>();
    /** Parameter values to set once the graph is built, by full name. */
    final Map<String, Tensor> paramValues = new LinkedHashMap<>();

    private OnnxImport(Path file, long opset, String name) {
        this.file = file;
        this.opset = opset;
        this.builder = new GraphBuilder(name, 0);
    }

    /** Imports {@code model}; {@code file} names it in errors. */
    public static Result toGraph(OnnxModel model, Path file) throws OnnxFormatException {
        long opset = model.defaultOpset();
        if (opset < 0) throw new OnnxFormatException(file, "imports no version of the default ONNX operator set");
        if (opset < 1 || opset > 22) throw new OnnxFormatException(file, "uses ONNX operator set " + opset + "; supported: 1 to 22");
        OnnxGraph g = model.graph();
        requireKnownOps(file, g);
        String name = !g.name().isEmpty() ? g.name() : stem(file);
        OnnxImport imp = new OnnxImport(file, opset, name);
        Graph graph = imp.run(g);
        Map<String, String> meta = new LinkedHashMap<>(model.metadata());
        meta.putIfAbsent("model", stem(file)); // the file's name says more than exporters' graph names ("torch_jit")
        meta.put("imported.from", String.valueOf(file.getFileName()));
        if (!model.producerName().isEmpty()) meta.put("imported.producer", (model.producerName() + " " + model.producerVersion()).trim());
        return new Result(graph, meta);
    }

    private static String stem(Path file) {
        String s = String.valueOf(file.getFileName());
        return s.endsWith(".onnx") ? s.substring(0, s.length() - 5) : s;
    }

    /** The pre-pass: every node whose op type is unknown, listed at once. */
    private static void requireKnownOps(Path file, OnnxGraph g) throws OnnxFormatException {
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            OnnxNode n = g.nodes().get(i);
            boolean defaultDomain = n.domain().isEmpty() || n.domain().equals("ai.onnx");
            if (!defaultDomain || !OnnxOps.SUPPORTED.contains(n.opType())) {
                unknown.add(n.describe(i) + (defaultDomain ? "" : " of domain '" + n.domain() + "'"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new OnnxFormatException(file, unknown.size() + " node(s) use ops the importer does not support: "
                    + String.join(", ", unknown) + "; supported ops: " + String.join(", ", OnnxOps.SUPPORTED));
        }
    }

    private Graph run(OnnxGraph g) throws OnnxFormatException {
        Set<String> initNames = new HashSet<>();
        for (OnnxTensor t : g.initializers()) {
            if (!initNames.add(t.name())) throw new OnnxFormatException(file, "initializer '" + t.name() + "' is defined twice");
            try {
                values.put(t.name(), new Const(t.dims(), t.values(), Const.integerType(t.dataType())));
            } catch (IllegalArgumentException e) {
                throw new OnnxFormatException(file, "initializer: " + e.getMessage());
            }
        }
        int inputs = 0;
        long batch = -1;
        for (OnnxValueInfo in : g.inputs()) {
            if (initNames.contains(in.name())) continue; // an initializer listed as an input: a constant
            long b = in.dims() != null && !in.dims().isEmpty() && in.dims().get(0).param() == null ? in.dims().get(0).value() : -1;
            if (b > 0 && batch > 0 && b != batch) {
                throw new OnnxFormatException(file, "inputs disagree on axis 0 (" + batch + " and " + b + "), which the engine takes as the batch");
            }
            if (b > 0) batch = b;
            define(in.name(), Act.of(builder.input(nodeName(in.name(), "input"), inputShape(in))));
            inputs++;
        }
        if (inputs == 0) throw new OnnxFormatException(file, "the graph has no input that is not an initializer");
        List<String> errors = new ArrayList<>();
        OnnxOps ops = new OnnxOps(this);
        for (int i = 0; i < g.nodes().size(); i++) {
            OnnxNode n = g.nodes().get(i);
            List<Val> ins = new ArrayList<>();
            boolean poison = false;
            for (String v : n.inputs()) {
                if (v.isEmpty()) {
                    ins.add(null);
                    continue;
                }
                if (poisoned.contains(v)) {
                    poison = true;
                    continue;
                }
                Val val = values.get(v);
                if (val == null) {
                    throw new OnnxFormatException(file, "node " + n.describe(i) + " reads '" + v + "', which no earlier node, initializer or"
                            + " input defines (nodes out of order, a cycle, or a missing initializer)");
                }
                ins.add(val);
            }
            for (String o : n.outputs()) {
                if (!o.isEmpty() && (values.containsKey(o) || poisoned.contains(o))) {
                    throw new OnnxFormatException(file, "node " + n.describe(i) + " defines '" + o + "', which is already defined");
                }
            }
            if (poison) {
                poisonOutputs(n);
                continue;
            }
            try {
                List<Val> outs = ops.translate(n, i, ins);
                for (Val v : outs) {
                    if (v instanceof Pending || v instanceof Val.MovedLinear) {
                        pendingNames.putIfAbsent(v, !n.name().isEmpty() ? n.name() : n.outputs().get(0));
                    }
                }
                for (int k = 0; k < n.outputs().size(); k++) {
                    String o = n.outputs().get(k);
                    if (o.isEmpty()) continue;
                    define(o, k < outs.size() && outs.get(k) != null ? outs.get(k)
                            : new Unusable("output " + k + " of " + n.describe(i) + " has no equivalent in the engine"));
                }
            } catch (Unsupported | IllegalArgumentException e) {
                errors.add(n.describe(i) + ": " + e.getMessage());
                poisonOutputs(n);
            } catch (ArithmeticException | IndexOutOfBoundsException | NegativeArraySizeException e) {
                // numbers in the file that no valid model has (overflowing sizes, indices past the end)
                errors.add(n.describe(i) + ": impossible sizes or indices (" + e + ")");
                poisonOutputs(n);
            }
        }
        if (g.outputs().size() != 1) {
            errors.add("the graph has " + g.outputs().size() + " outputs; the engine's graphs have exactly one");
        }
        Node out = null;
        if (errors.isEmpty()) {
            String o = g.outputs().get(0).name();
            Val v = values.get(o);
            if (v == null) throw new OnnxFormatException(file, "graph output '" + o + "' is never defined");
            try {
                out = node(act(v, "the graph output"), o);
            } catch (Unsupported | IllegalArgumentException e) {
                errors.add("graph output '" + o + "': " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new OnnxFormatException(file, errors.size() + " node(s) cannot be imported:\n  " + String.join("\n  ", errors));
        }
        Graph built = builder.build(out);
        for (Map.Entry<String, Tensor> e : paramValues.entrySet()) {
            Parameter p = built.parameter(e.getKey());
            try {
                p.setValue(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new OnnxFormatException(file, ex.getMessage());
            }
        }
        return built;
    }

    private void poisonOutputs(OnnxNode n) {
        for (String o : n.outputs()) if (!o.isEmpty()) poisoned.add(o);
    }

    private void define(String name, Val v) {
        values.put(name, v);
    }

    private int[] inputShape(OnnxValueInfo in) throws OnnxFormatException {
        String what = "input '" + in.name() + "'";
        if (in.elemType() != OnnxTensor.FLOAT) {
            throw new OnnxFormatException(file, what + " is " + (in.elemType() == 0 ? "not a tensor" : OnnxTensor.typeName(in.elemType()))
                    + "; the engine's inputs are float tensors");
        }
        if (in.dims() == null || in.dims().size() < 2) {
            throw new OnnxFormatException(file, what + " has shape " + in.dims() + "; it needs a batch axis and known sample dimensions");
        }
        int[] s = new int[in.dims().size() - 1];
        long total = 1;
        for (int i = 0; i < s.length; i++) {
            OnnxValueInfo.Dim d = in.dims().get(i + 1);
            if (d.param() != null || d.value() < 1) {
                throw new OnnxFormatException(file, what + " has shape " + in.dims() + ": sample dimension " + (i + 1) + " is not a known positive size");
            }
            total *= Math.min(d.value(), MAX_SAMPLE + 1);
            if (total > MAX_SAMPLE) throw new OnnxFormatException(file, what + " has absurd dimensions " + in.dims());
            s[i] = (int) d.value();
        }
        return s;
    }

    // ------------------------------------------------------------- helpers for OnnxOps

    /** A unique engine node name: the preferred one if free and non-empty, else derived from it. */
    String nodeName(String preferred, String fallback) {
        String base = preferred == null || preferred.isEmpty() ? fallback : preferred;
        String n = base;
        for (int k = 1; usedNames.contains(n); k++) n = base + "_" + k;
        usedNames.add(n);
        return n;
    }

    /** Adds an engine node. */
    Node add(String name, Op op, Node... inputs) {
        return builder.add(nodeName(name, op.kind()), op, inputs);
    }

    /** Records the value of parameter {@code local} of node {@code n}, checked against its shape. */
    void param(Node n, String local, float[] v) {
        String full = n.name() + "." + local;
        Parameter p = null;
        for (Parameter q : n.params()) if (q.spec().name().equals(local)) p = q;
        for (Parameter q : n.buffers()) if (q.spec().name().equals(local)) p = q;
        if (p == null) throw new IllegalStateException("node " + n.name() + " has no parameter " + local);
        int[] shape = p.value().shape();
        long size = 1;
        for (int d : shape) size *= d;
        if (size != v.length) {
            throw new Unsupported("parameter " + local + " needs " + Arrays.toString(shape) + " (" + size + " values), the model gives " + v.length);
        }
        paramValues.put(full, Tensor.wrap(v, shape));
    }

    /** The activation a value stands for, adding the engine node a pending pattern means on its own. */
    Act act(Val v, String consumer) {
        if (v instanceof Act a) return a;
        if (v instanceof Unusable u) throw new Unsupported(consumer + " reads " + u.reason());
        if (v instanceof Const c) throw new Unsupported(consumer + " needs an activation but gets a " + c);
        if (v instanceof Val.MovedLinear ml) return act(linear(ml), consumer);
        if (v instanceof Val.Moved m) {
            if (MovedBatch.simplify(m) instanceof Act a) return a;
            throw new Unsupported(consumer + " needs the batch axis first, but a Transpose or Reshape has moved it (ONNX shape "
                    + Arrays.toString(MovedBatch.logicalShape(m)).replace("NaN", "batch") + ")");
        }
        Pending p = (Pending) v;
        Act done = materialized.get(p);
        if (done == null) {
            done = new PendingOps(this).materialize(p, consumer);
            materialized.put(p, done);
        }
        return done;
    }

    /** The name for the engine node pending pattern {@code p} becomes on its own (its last ONNX node's), or null. */
    String nameOf(Pending p) {
        return pendingNames.get(p);
    }

    /** The Linear a fused projection of a moved-batch view becomes when it is read whole. */
    Val linear(Val.MovedLinear ml) {
        Val done = linears.get(ml);
        if (done != null) return done;
        String name = pendingNames.getOrDefault(ml, ml.x().node().name() + "/linear");
        Node n = add(name, new dev.apoptosis.graph.ops.Linear(ml.out(), ml.b() != null), MovedBatch.node(this, ml.x(), name));
        param(n, "weight", ml.w());
        if (ml.b() != null) param(n, "bias", ml.b());
        done = MovedBatch.withNode(ml.x(), n);
        linears.put(ml, done);
        return done;
    }

    /** Any activation value as a moved-batch view (a batch-first one with every axis its own group). */
    Val.Moved moved(Val v, String consumer) {
        if (v instanceof Val.Moved m) return m;
        if (v instanceof Val.MovedLinear ml) return moved(linear(ml), consumer);
        return MovedBatch.of(act(v, consumer));
    }

    /** The engine node holding {@code a} in its view shape (a Flatten or Reshape is added when the view differs). */
    Node node(Act a, String label) {
        if (a.direct()) return a.node();
        String key = a.node().name() + Arrays.toString(a.shape());
        Node cached = views.get(key);
        if (cached != null) return cached;
        int[] s = a.node().outputShape();
        Op op = a.shape().length == 1 && s.length >= 1 ? new dev.apoptosis.graph.ops.Flatten()
                : new dev.apoptosis.graph.ops.Reshape(a.shape());
        Node n = add(label + (a.shape().length == 1 ? "/flatten" : "/reshape"), op, a.node());
        views.put(key, n);
        return n;
    }
}
