package dev.apoptosis.graph;

import dev.apoptosis.graph.ops.Input;
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
 */
public final class GraphBuilder {
    private final String name;
    private final Random init;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> autoNames = new HashMap<>();

    public GraphBuilder(String name, long seed) {
        this.name = name;
        this.init = new Random(seed);
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
        Node n = new Node(nodeName, op, List.of(inputs));
        Graph.attachParameters(n, new HashMap<>(), init);
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

    /** The graph of every node added so far, with {@code output} as its output. */
    public Graph build(Node output) {
        if (nodes.get(output.name()) != output) {
            throw new IllegalArgumentException("graph '" + name + "': output '" + output.name() + "' is not a node of this builder");
        }
        return new Graph(name, List.copyOf(nodes.values()), output);
    }
}
