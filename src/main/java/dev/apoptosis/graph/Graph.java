package dev.apoptosis.graph;

import dev.apoptosis.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A network: a directed acyclic graph of {@link Node}s in topological order, with named inputs, one
 * output, and the parameters and buffers its nodes own.
 *
 * <p>A graph's structure is immutable; parameter values change in place (training) and a structural
 * edit (pruning) builds a new graph with {@link #rebuild}. {@link #toDefs} and {@link #fromDefs}
 * convert to and from the stored form used by checkpoints.
 *
 * <p>MAC convention: one multiply-add is one MAC, counted per sample (batch size 1).
 */
public final class Graph {
    private final String name;
    private final List<Node> nodes;
    private final List<Node> inputs;
    private final Node output;
    private final List<Parameter> parameters;
    private final List<Parameter> buffers;
    private final Map<String, Node> byName;
    private final Map<String, Parameter> paramsByName;

    Graph(String name, List<Node> topo, Node output) {
        this.name = name;
        this.nodes = List.copyOf(topo);
        this.output = output;
        List<Node> ins = new ArrayList<>();
        List<Parameter> ps = new ArrayList<>();
        List<Parameter> bs = new ArrayList<>();
        Map<String, Node> by = new LinkedHashMap<>();
        Map<String, Parameter> pb = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            n.index = i;
            by.put(n.name(), n);
            if (n.isInput()) ins.add(n);
            ps.addAll(n.params());
            bs.addAll(n.buffers());
            for (Parameter p : n.params()) pb.put(p.name(), p);
            for (Parameter p : n.buffers()) pb.put(p.name(), p);
        }
        this.inputs = List.copyOf(ins);
        this.parameters = List.copyOf(ps);
        this.buffers = List.copyOf(bs);
        this.byName = Collections.unmodifiableMap(by);
        this.paramsByName = Collections.unmodifiableMap(pb);
    }

    public String name() {
        return name;
    }

    /** All nodes, inputs included, in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    public List<Node> inputs() {
        return inputs;
    }

    public Node output() {
        return output;
    }

    /** Trainable parameters in node order; the index in this list is the parameter's slot in a {@code ParamVector}. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public List<Parameter> buffers() {
        return buffers;
    }

    /** The node called {@code name}; an error lists none of the others but names the graph. */
    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) throw new IllegalArgumentException("graph '" + this.name + "' has no node '" + name + "'");
        return n;
    }

    /** A parameter or buffer by full name ("node.local"). */
    public Parameter parameter(String fullName) {
        Parameter p = paramsByName.get(fullName);
        if (p == null) throw new IllegalArgumentException("graph '" + name + "' has no parameter '" + fullName + "'");
        return p;
    }

    /** Index of a trainable parameter in {@link #parameters()}. */
    public int parameterIndex(Parameter p) {
        int i = parameters.indexOf(p);
        if (i < 0) throw new IllegalArgumentException(p.name() + " is not a trainable parameter of graph '" + name + "'");
        return i;
    }

    /** MACs per sample of the whole graph. */
    public long macs() {
        long m = 0;
        for (Node n : nodes) m += n.macs();
        return m;
    }

    /** Number of trainable scalars. */
    public long numParameters() {
        long s = 0;
        for (Parameter p : parameters) s += p.size();
        return s;
    }

    /** The stored form of the structure. */
    public List<NodeDef> toDefs() {
        List<NodeDef> defs = new ArrayList<>();
        for (Node n : nodes) {
            List<String> in = new ArrayList<>();
            for (Node i : n.inputs()) in.add(i.name());
            defs.add(new NodeDef(n.name(), n.op().kind(), n.op().attrs(), in));
        }
        return defs;
    }

    /** Current values of all parameters and buffers by full name (shared, not copied). */
    public Map<String, Tensor> state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : paramsByName.entrySet()) m.put(e.getKey(), e.getValue().value());
        return m;
    }

    /** The masks of the masked parameters by full name (shared, not copied); empty for a dense graph. */
    public Map<String, Tensor> masks() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Parameter p : parameters) if (p.mask() != null) m.put(p.name(), p.mask());
        return m;
    }

    /** Sets the masks given by full name (see {@link Parameter#setMask}); each must name a trainable parameter. */
    public void applyMasks(Map<String, Tensor> masks) {
        for (Map.Entry<String, Tensor> e : masks.entrySet()) {
            Parameter p = parameter(e.getKey());
            if (!p.trainable()) throw new IllegalArgumentException("graph '" + name + "': mask given for buffer '" + e.getKey() + "'");
            p.setMask(e.getValue());
        }
    }

    /**
     * A new graph with some ops replaced (e.g. fewer output channels) and some values replaced;
     * every other value is carried over (shared). Shapes are inferred again and must match the values.
     */
    public Graph rebuild(Map<String, Op> replacedOps, Map<String, Tensor> replacedValues) {
        for (String n : replacedOps.keySet()) node(n);
        Map<String, Tensor> values = new HashMap<>(state());
        values.putAll(replacedValues);
        List<NodeDef> defs = new ArrayList<>();
        Map<String, Op> ops = new HashMap<>();
        for (Node n : nodes) {
            Op op = replacedOps.getOrDefault(n.name(), n.op());
            ops.put(n.name(), op);
            List<String> in = new ArrayList<>();
            for (Node i : n.inputs()) in.add(i.name());
            defs.add(new NodeDef(n.name(), op.kind(), op.attrs(), in));
        }
        return build(name, defs, output.name(), values, null, ops);
    }

    /**
     * Builds a graph from stored node definitions: checks that names are unique, inputs exist and
     * there is no cycle, orders the nodes, infers shapes, and sets parameter values from {@code values}
     * (full names). With {@code init == null} every parameter and buffer must be in {@code values};
     * otherwise missing ones are initialised from {@code init}. Each error names the node.
     */
    public static Graph fromDefs(String name, List<NodeDef> defs, String outputName, Map<String, Tensor> values,
                                 Random init) {
        return build(name, defs, outputName, values, init, null);
    }

    private static Graph build(String name, List<NodeDef> defs, String outputName, Map<String, Tensor> values,
                               Random init, Map<String, Op> prebuilt) {
        Map<String, NodeDef> byName = new LinkedHashMap<>();
        for (NodeDef d : defs) {
            if (byName.put(d.name(), d) != null) throw new IllegalArgumentException("graph '" + name + "': duplicate node name '" + d.name() + "'");
        }
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (NodeDef d : defs) {
            for (String in : d.inputs()) {
                if (!byName.containsKey(in)) {
                    throw new IllegalArgumentException("graph '" + name + "': node '" + d.name() + "' reads unknown input '" + in + "'");
                }
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(d.name());
            }
            pending.put(d.name(), d.inputs().size());
        }
        if (!byName.containsKey(outputName)) {
            throw new IllegalArgumentException("graph '" + name + "': output node '" + outputName + "' does not exist");
        }
        Deque<String> ready = new ArrayDeque<>();
        for (NodeDef d : defs) if (d.inputs().isEmpty()) ready.add(d.name());
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String n = ready.poll();
            order.add(n);
            for (String c : consumers.getOrDefault(n, List.of())) {
                if (pending.merge(c, -1, Integer::sum) == 0) ready.add(c);
            }
        }
        if (order.size() != defs.size()) {
            List<String> stuck = new ArrayList<>();
            for (NodeDef d : defs) if (pending.get(d.name()) > 0) stuck.add(d.name());
            throw new IllegalArgumentException("graph '" + name + "' has a cycle through nodes " + stuck);
        }
        Map<String, Node> built = new HashMap<>();
        List<Node> topo = new ArrayList<>();
        Map<String, Tensor> remaining = new HashMap<>(values == null ? Map.of() : values);
        for (String n : order) {
            NodeDef d = byName.get(n);
            Op op = prebuilt != null ? prebuilt.get(n) : OpRegistry.create(d.kind(), d.attrs());
            List<Node> ins = new ArrayList<>();
            for (String in : d.inputs()) ins.add(built.get(in));
            Node node = new Node(n, op, ins);
            attachParameters(node, remaining, init);
            built.put(n, node);
            topo.add(node);
        }
        if (prebuilt == null && !remaining.isEmpty()) {
            throw new IllegalArgumentException("graph '" + name + "': values given for unknown parameters " + remaining.keySet());
        }
        return new Graph(name, topo, built.get(outputName));
    }

    /** Creates the node's parameters from {@code values} (consumed) or, if absent, from {@code init}. */
    static void attachParameters(Node node, Map<String, Tensor> values, Random init) {
        List<ParamSpec> specs = node.op().params(node.inputShapes());
        int[] fanShape = null;
        for (ParamSpec s : specs) if (s.name().equals("weight")) fanShape = s.shape();
        for (ParamSpec s : specs) {
            String full = node.name() + "." + s.name();
            Tensor v = values.remove(full);
            if (v == null) {
                if (init == null) throw new IllegalArgumentException("node '" + node.name() + "': missing parameter '" + full + "'");
                v = s.init().create(init, s.shape(), fanShape != null ? fanShape : s.shape());
            }
            node.addParameter(new Parameter(node, s, v));
        }
    }

    /** A short multi-line description: nodes, shapes, parameters and MACs. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "graph %s: %d nodes, %,d parameters, %,d MACs per sample%n", name, nodes.size(),
                numParameters(), macs()));
        for (Node n : nodes) {
            sb.append(String.format(java.util.Locale.ROOT, "  %-28s %-18s %-18s %,14d MACs%n", n.name(), n.op().kind(),
                    java.util.Arrays.toString(n.outputShape()), n.macs()));
        }
        return sb.toString();
    }
}
