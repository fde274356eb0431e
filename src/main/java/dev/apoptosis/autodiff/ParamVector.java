package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.List;
import java.util.function.Predicate;

/**
 * A vector in parameter space: one tensor per trainable parameter of a graph, aligned with
 * {@link Graph#parameters()}; a {@code null} slot means zero. Gradients, directions v and
 * Hessian-vector products are all ParamVectors.
 */
public final class ParamVector {
    private final List<Parameter> params;
    private final Tensor[] slots;

    private ParamVector(List<Parameter> params) {
        this.params = params;
        this.slots = new Tensor[params.size()];
    }

    /** All slots zero (null). */
    public static ParamVector zeros(Graph g) {
        return new ParamVector(g.parameters());
    }

    /** Copies of the current values of the parameters that {@code which} accepts; zero elsewhere. */
    public static ParamVector values(Graph g, Predicate<Parameter> which) {
        ParamVector v = zeros(g);
        for (int i = 0; i < v.slots.length; i++) {
            Parameter p = v.params.get(i);
            if (which.test(p)) v.slots[i] = p.value().copy();
        }
        return v;
    }

    /** OBA's direction: v = θ on the weights and biases of Conv/Linear ({@link OpProperty#PARAMETER_LAYER}), 0 elsewhere. */
    public static ParamVector obaDirection(Graph g) {
        return values(g, p -> p.node().op().has(OpProperty.PARAMETER_LAYER));
    }

    public int size() {
        return slots.length;
    }

    public Parameter parameter(int i) {
        return params.get(i);
    }

    /** Slot i, or null if zero. */
    public Tensor get(int i) {
        return slots[i];
    }

    /** The slot of {@code p}, or null if zero. */
    public Tensor get(Parameter p) {
        int i = params.indexOf(p);
        if (i < 0) throw new IllegalArgumentException(p.name() + " is not in this parameter vector");
        return slots[i];
    }

    /** Sets slot i; the tensor must have the parameter's shape. */
    public void set(int i, Tensor t) {
        if (t != null && !t.hasShape(params.get(i).spec().shape())) {
            throw new IllegalArgumentException("ParamVector.set: " + params.get(i).name() + " expects shape "
                    + java.util.Arrays.toString(params.get(i).spec().shape()) + ", got " + java.util.Arrays.toString(t.shape()));
        }
        slots[i] = t;
    }

    /** Slot i, or a new zero tensor of the parameter's shape. */
    public Tensor getOrZeros(int i) {
        return slots[i] != null ? slots[i] : Tensor.zeros(params.get(i).spec().shape());
    }

    /** Σ this·other in double precision. */
    public double dot(ParamVector o) {
        double s = 0;
        for (int i = 0; i < slots.length; i++) {
            Tensor a = slots[i], b = o.slots[i];
            if (a == null || b == null) continue;
            for (int k = 0; k < a.size(); k++) s += (double) a.at(k) * b.at(k);
        }
        return s;
    }
}
