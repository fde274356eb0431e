package dev.apoptosis.graph;

import dev.apoptosis.tensor.Tensor;

/**
 * A named tensor owned by a node: a trainable parameter (weight, bias, norm scale) or a buffer
 * (running statistics). Its full name is {@code node.local}, e.g. {@code "layer1.0.conv1.weight"}.
 *
 * <p>The value's storage is updated in place by optimisers; pruning replaces the whole tensor with
 * {@link #setValue}. Engine passes never write to it (only a {@code TRAIN} forward writes buffers).
 */
public final class Parameter {
    private final String name;
    private final ParamSpec spec;
    private final Node node;
    private Tensor value;

    Parameter(Node node, ParamSpec spec, Tensor value) {
        this.node = node;
        this.spec = spec;
        this.name = node.name() + "." + spec.name();
        if (!value.hasShape(spec.shape())) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + java.util.Arrays.toString(value.shape())
                    + ", expected " + java.util.Arrays.toString(spec.shape()));
        }
        this.value = value;
    }

    public String name() {
        return name;
    }

    public ParamSpec spec() {
        return spec;
    }

    public Node node() {
        return node;
    }

    public boolean trainable() {
        return spec.trainable();
    }

    public Tensor value() {
        return value;
    }

    /** Replaces the value; the shape must match the spec. */
    public void setValue(Tensor t) {
        if (!t.hasShape(spec.shape())) {
            throw new IllegalArgumentException("parameter " + name + ": new value has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(spec.shape()));
        }
        value = t;
    }

    public int size() {
        return value.size();
    }

    @Override
    public String toString() {
        return name + java.util.Arrays.toString(spec.shape());
    }
}
