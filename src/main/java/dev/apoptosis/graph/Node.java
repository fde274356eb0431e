package dev.apoptosis.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node of the graph: a named application of an {@link Op} to the outputs of earlier nodes, with
 * its own parameters and buffers. Graph inputs are nodes too (op {@link dev.apoptosis.graph.ops.Input}).
 * Shapes are sample shapes (no batch dimension), inferred when the node is created.
 */
public final class Node {
    private final String name;
    private final Op op;
    private final List<Node> inputs;
    private final int[][] inputShapes;
    private final int[] outputShape;
    private final List<Parameter> params = new ArrayList<>();
    private final List<Parameter> buffers = new ArrayList<>();
    int index;

    Node(String name, Op op, List<Node> inputs) {
        this.name = name;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        if (op.arity() >= 0 && op.arity() != inputs.size()) {
            throw new IllegalArgumentException("node '" + name + "' (" + op.kind() + "): expects " + op.arity()
                    + " inputs, got " + inputs.size());
        }
        if (op.arity() < 0 && inputs.isEmpty()) {
            throw new IllegalArgumentException("node '" + name + "' (" + op.kind() + "): needs at least one input");
        }
        this.inputShapes = new int[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) inputShapes[i] = inputs.get(i).outputShape();
        try {
            this.outputShape = op.outputShape(inputShapes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node '" + name + "' (" + op.kind() + "): " + e.getMessage(), e);
        }
        // Every later size computation multiplies these dimensions in int arithmetic: a shape such as
        // [1, 64, 67108865] (read from a file) would silently wrap to 64 values. Refuse it here, once.
        long values = 1;
        for (int d : outputShape) {
            if (d < 0) throw new IllegalArgumentException("node '" + name + "' (" + op.kind() + "): negative dimension in "
                    + java.util.Arrays.toString(outputShape));
            values *= d;
            if (values > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("node '" + name + "' (" + op.kind() + "): output shape "
                        + java.util.Arrays.toString(outputShape) + " has more values per sample than a tensor can hold (2^31 - 9)");
            }
        }
    }

    void addParameter(Parameter p) {
        (p.trainable() ? params : buffers).add(p);
    }

    public String name() {
        return name;
    }

    public Op op() {
        return op;
    }

    public List<Node> inputs() {
        return inputs;
    }

    /** Sample shapes of the inputs (copies are not made: do not modify). */
    public int[][] inputShapes() {
        return inputShapes;
    }

    public int[] outputShape() {
        return outputShape.clone();
    }

    public List<Parameter> params() {
        return Collections.unmodifiableList(params);
    }

    public List<Parameter> buffers() {
        return Collections.unmodifiableList(buffers);
    }

    /** Position in the graph's topological order. */
    public int index() {
        return index;
    }

    public long macs() {
        return op.macs(inputShapes, outputShape);
    }

    public boolean isInput() {
        return op instanceof dev.apoptosis.graph.ops.Input;
    }

    @Override
    public String toString() {
        return name + ":" + op.kind() + java.util.Arrays.toString(outputShape);
    }
}
