package dev.apoptosis.graph;

import dev.apoptosis.graph.ops.Input;
import dev.apoptosis.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a model in Java: each call adds a node, infers its shape at once (so a mistake is reported
 * at the line that made it, naming the node) and initialises its parameters from a seeded generator.
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder("mlp", 42);
 * Node x = b.input("image", 1, 28, 28);
 * Node h = b.add("flatten", new Flatten(), x);
 * h = b.add("fc1", Linear.of(784, 128), h);
 * Graph g = b.build(b.add("fc2", Linear.of(128, 10), b.add("relu1", new ReLU(), h)));
 * }</pre>
 *
 * <p>When every value is then loaded (trained weights from a file), no seed is needed: start with
 * {@link #GraphBuilder(String)} and give all parameters and buffers, by full name, to
 * {@link #build(Node, Map)}; a missing or unknown name is an error naming it, so no parameter is
 * ever left at an arbitrary value. A seeded builder also takes values there, replacing its
 * initialisation for the names given.
 */
public final class GraphBuilder {
    private final String name;
    /** null for a builder without a seed: parameters are attached at build time from given values. */
    private final Random init;
    private boolean built;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> autoNames = new HashMap<>();

    /** A builder that initialises every parameter from a generator seeded with {@code seed}. */
    public GraphBuilder(String name, long seed) {
        this.name = name;
        this.init = new Random(seed);
    }

    /**
     * A builder without initialisation, for graphs whose every parameter and buffer is then loaded:
     * finish it with {@link #build(Node, Map)}, which must be given all of them.
     */
    public GraphBuilder(String name) {
        this.name = name;
        this.init = null;
    }

    /** Adds a graph input with the given sample shape (no batch dimension). */
    public Node input(String inputName, int... sampleShape) {
        return add(inputName, new Input(sampleShape));
    }

    /** Adds a node applying {@code op} to {@code inputs}. */
    public Node add(String nodeName, Op op, Node... inputs) {
        if (nodes.containsKey(nodeName)) {
            throw new IllegalArgumentException("graph '" + name + "': duplicate node name '" + nodeName + "'");
        }
        for (Node in : inputs) {
            if (in == null || nodes.get(in.name()) != in) {
                throw new IllegalArgumentException("graph '" + name + "': node '" + nodeName + "' reads "
                        + (in == null ? "null" : "'" + in.name() + "'") + ", which is not a node of this builder");
            }
        }
        if (built && init == null) throw new IllegalStateException("graph '" + name + "': this builder has already built its graph");
        Node n = new Node(nodeName, op, List.of(inputs));
        if (init != null) Graph.attachParameters(n, new HashMap<>(), init);
        nodes.put(nodeName, n);
        return n;
    }

    /** Adds a node with a generated unique name {@code prefix + counter}. */
    public Node addAuto(String prefix, Op op, Node... inputs) {
        int k = autoNames.merge(prefix, 1, Integer::sum);
        String n = prefix + k;
        while (nodes.containsKey(n)) n = prefix + autoNames.merge(prefix, 1, Integer::sum);
        return add(n, op, inputs);
    }

    /** The graph of every node added so far, with {@code output} as its output (a seeded builder only). */
    public Graph build(Node output) {
        if (init == null) {
            throw new IllegalStateException("graph '" + name + "' was started without a seed: give every parameter's and buffer's"
                    + " value to build(output, values)");
        }
        return build(output, Map.of());
    }

    /**
     * The graph of every node added so far, with {@code output} as its output and parameter and buffer
     * values taken from {@code values} (full names, e.g. {@code "conv1.weight"}; shared, not copied).
     * Without a seed every parameter and buffer must be given; with one, those given replace their
     * initial values. A name that is no parameter or buffer of the graph is an error.
     */
    public Graph build(Node output, Map<String, Tensor> values) {
        if (nodes.get(output.name()) != output) {
            throw new IllegalArgumentException("graph '" + name + "': output '" + output.name() + "' is not a node of this builder");
        }
        if (init == null && built) throw new IllegalStateException("graph '" + name + "': this builder has already built its graph");
        Map<String, Tensor> remaining = new HashMap<>(values);
        if (init == null) {
            for (Node n : nodes.values()) Graph.attachParameters(n, remaining, null);
        } else {
            for (Node n : nodes.values()) {
                for (List<Parameter> ps : List.of(n.params(), n.buffers())) {
                    for (Parameter p : ps) {
                        Tensor v = remaining.remove(p.name());
                        if (v != null) p.setValue(v);
                    }
                }
            }
        }
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException("graph '" + name + "': values given for unknown parameters " + new java.util.TreeSet<>(remaining.keySet()));
        }
        built = true;
        return new Graph(name, List.copyOf(nodes.values()), output);
    }
}
