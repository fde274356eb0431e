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
 *
 * <p>Flat form: {@link #toFloatArray}, {@link #toDoubleArray} and {@link #fromArray} lay the slots
 * end to end in parameter order, each row-major in its parameter's shape (see docs/engine.md for
 * every op's parameter names and layouts), zeros for null slots; {@link #totalSize} is the length.
 *
 * <p>Arithmetic: {@link #axpy} and {@link #scale} change this vector <em>in place</em>, writing into
 * the tensors of its slots (a slot set with {@link #set} is the caller's tensor, and is written).
 * The vectors the factories here and {@link Pass} return own their tensors.
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

    /**
     * OBA's direction restricted to weights: v = θ on the weights of Conv/Linear (parameter
     * {@code weight} of {@link OpProperty#PARAMETER_LAYER} nodes), 0 on their biases and elsewhere.
     */
    public static ParamVector obaWeightsDirection(Graph g) {
        return values(g, p -> p.node().op().has(OpProperty.PARAMETER_LAYER) && p.spec().name().equals("weight"));
    }

    /**
     * The vector whose flat form is {@code flat}: parameter after parameter in graph order, each
     * row-major; its length must be {@link #totalSize} of the graph's parameters.
     */
    public static ParamVector fromArray(Graph g, float[] flat) {
        ParamVector v = zeros(g);
        v.checkLength(flat.length);
        int off = 0;
        for (int i = 0; i < v.slots.length; i++) {
            int[] shape = v.params.get(i).spec().shape();
            Tensor t = Tensor.zeros(shape);
            System.arraycopy(flat, off, t.data(), t.offset(), t.size());
            off += t.size();
            v.slots[i] = t;
        }
        return v;
    }

    /** {@link #fromArray(Graph, float[])} from float64 values, each rounded to the nearest float. */
    public static ParamVector fromArray(Graph g, double[] flat) {
        float[] f = new float[flat.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) flat[i];
        return fromArray(g, f);
    }

    /** Number of scalars over all slots (null slots counted at their parameter's size). */
    public long totalSize() {
        long n = 0;
        for (Parameter p : params) n += p.size();
        return n;
    }

    /** The flat form: every slot end to end in parameter order, row-major, zeros for null slots. */
    public float[] toFloatArray() {
        float[] out = new float[flatLength()];
        int off = 0;
        for (int i = 0; i < slots.length; i++) {
            int n = params.get(i).size();
            Tensor t = slots[i];
            if (t != null) System.arraycopy(t.data(), t.offset(), out, off, n);
            off += n;
        }
        return out;
    }

    /** {@link #toFloatArray} widened to float64. */
    public double[] toDoubleArray() {
        float[] f = toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < d.length; i++) d[i] = f[i];
        return d;
    }

    /**
     * this ← this + a·x, in place (each entry computed in double, stored as float); a null slot of x
     * adds nothing, a null slot of this becomes a·x. Returns this.
     */
    public ParamVector axpy(double a, ParamVector x) {
        if (x.params != params) throw new IllegalArgumentException("axpy: the vectors belong to different graphs");
        for (int i = 0; i < slots.length; i++) {
            Tensor xt = x.slots[i];
            if (xt == null) continue;
            if (slots[i] == null) slots[i] = Tensor.zeros(params.get(i).spec().shape());
            Tensor t = slots[i];
            for (int k = 0; k < t.size(); k++) t.setAt(k, (float) (t.at(k) + a * xt.at(k)));
        }
        return this;
    }

    /** this ← a·this, in place (each entry computed in double, stored as float). Returns this. */
    public ParamVector scale(double a) {
        for (Tensor t : slots) {
            if (t == null) continue;
            for (int k = 0; k < t.size(); k++) t.setAt(k, (float) (a * t.at(k)));
        }
        return this;
    }

    /** The Euclidean norm √(Σ v²), summed in double. */
    public double norm() {
        return Math.sqrt(dot(this));
    }

    /** A copy whose slots are copies of this one's (null slots stay null). */
    public ParamVector copy() {
        ParamVector c = new ParamVector(params);
        for (int i = 0; i < slots.length; i++) c.slots[i] = slots[i] == null ? null : slots[i].copy();
        return c;
    }

    private int flatLength() {
        long n = totalSize();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("parameter vector of " + n + " scalars does not fit one Java array");
        return (int) n;
    }

    private void checkLength(int length) {
        long n = totalSize();
        if (length != n) {
            throw new IllegalArgumentException("flat parameter vector has " + length + " values, the graph's " + params.size()
                    + " parameters hold " + n);
        }
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
