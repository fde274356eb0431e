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
    private Tensor mask;

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

    /**
     * The unstructured-pruning mask (1 keeps an entry, 0 removes it), or null if the parameter is
     * dense. Optimisers keep masked entries, and their momentum, exactly zero; checkpoints store it.
     */
    public Tensor mask() {
        return mask;
    }

    /**
     * Sets (or with null clears) the mask and zeroes the masked entries of the value in place. The
     * mask must have the parameter's shape and hold only 0 and 1.
     */
    public void setMask(Tensor m) {
        if (m == null) {
            mask = null;
            return;
        }
        if (!m.hasShape(spec.shape())) {
            throw new IllegalArgumentException("mask of " + name + " has shape " + java.util.Arrays.toString(m.shape())
                    + ", parameter has " + java.util.Arrays.toString(spec.shape()));
        }
        float[] md = m.data(), vd = value.data();
        int mo = m.offset(), vo = value.offset();
        for (int i = 0; i < m.size(); i++) {
            float x = md[mo + i];
            if (x != 0f && x != 1f) throw new IllegalArgumentException("mask of " + name + " holds " + x + " at " + i + "; only 0 and 1 are allowed");
        }
        for (int i = 0; i < m.size(); i++) if (md[mo + i] == 0f) vd[vo + i] = 0f;
        mask = m.copy();
    }

    /** Number of entries the mask keeps (all if there is no mask). */
    public long keptEntries() {
        if (mask == null) return size();
        long k = 0;
        float[] md = mask.data();
        for (int i = 0; i < mask.size(); i++) if (md[mask.offset() + i] != 0f) k++;
        return k;
    }

    public int size() {
        return value.size();
    }

    @Override
    public String toString() {
        return name + java.util.Arrays.toString(spec.shape());
    }
}
