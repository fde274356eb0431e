package dev.apoptosis.graph;

import dev.apoptosis.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * An operation of the graph: a declaration (kind, attributes, properties, shapes, parameters, MACs)
 * and its four differentiation rules, side by side in one file per op. How channels flow through an
 * op kind, which pruning needs, is declared in one table beside the pruner
 * ({@code dev.apoptosis.prune.channels.ChannelRules}), not here.
 *
 * <h2>Shapes</h2>
 * Shapes seen by {@link #outputShape}, {@link #params} and {@link #macs} are <em>sample</em> shapes,
 * without the batch dimension ([C,H,W] for an image, [T,D] for tokens). Tensors seen by the rules
 * have the batch dimension first.
 *
 * <h2>The four rules</h2> (notation of {@code second-order.md}: y = f(x; θ), g = ∂L/∂y, a dot is a
 * directional derivative along the parameter direction v)
 * <ol>
 * <li>{@link #forward}: y from the frame's inputs and parameters; keeps what later rules need in {@code frame.saved}.</li>
 * <li>{@link #backward}: the VJP, (g_x, g_θ) from g_y.</li>
 * <li>{@link #tangent}: the JVP ẏ = ∂f/∂x·ẋ + ∂f/∂θ·v, at the primal values of the forward.</li>
 * <li>{@link #rBackward}: the directional derivative of the VJP, (ġ_x, ġ_θ) = Jᵀ ġ_y plus the
 *     op's own second-order terms selected by the {@link Curvature} mode.</li>
 * </ol>
 * A {@code null} tangent or adjoint means zero: rules must accept nulls and may return null for zero.
 */
public abstract class Op {

    /** The kind name, e.g. "Conv2d"; also the key in {@link OpRegistry}. */
    public abstract String kind();

    /** The attributes that define this instance; {@code OpRegistry.create(kind(), attrs())} rebuilds it. */
    public abstract Attrs attrs();

    /** The op's properties, as data. */
    public abstract Set<OpProperty> properties();

    public final boolean has(OpProperty p) {
        return properties().contains(p);
    }

    /** Number of activation inputs, or -1 if variadic (at least one). */
    public abstract int arity();

    /** Output sample shape for these input sample shapes; throws IllegalArgumentException if they do not fit. */
    public abstract int[] outputShape(int[][] inputShapes);

    /** Parameters and buffers for these input sample shapes, in the order the frame holds them. */
    public List<ParamSpec> params(int[][] inputShapes) {
        return List.of();
    }

    /** Multiply-adds per sample (one multiply-add is one MAC; ops without multiplications count 0). */
    public long macs(int[][] inputShapes, int[] outputShape) {
        return 0;
    }

    /** Rule 1: computes the output; may keep data in {@code f.saved}. Must not modify inputs or parameters. */
    public abstract Tensor forward(Frame f);

    /** Rule 2: delivers g_x and g_θ into {@code out} given the output adjoint {@code gy}. */
    public abstract void backward(Frame f, Tensor gy, Adjoints out);

    /**
     * Rule 3: the output tangent for input tangents {@code xDot} and parameter directions
     * {@code pDot} (aligned with {@link Frame#params}); entries may be null (zero). Returns null for zero.
     */
    public abstract Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot);

    /**
     * Rule 4: delivers ġ_x and ġ_θ into {@code out}. {@code gy} is the output adjoint (never null),
     * {@code gyDot} its R-adjoint (null = zero), {@code xDot}, {@code pDot} the tangents of the tangent pass.
     */
    public abstract void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot,
                                   Curvature c, Adjoints out);

    /** Number of trainable parameters among {@link #params} (the rest are buffers). */
    public final int numTrainable(int[][] inputShapes) {
        int n = 0;
        for (ParamSpec p : params(inputShapes)) if (p.trainable()) n++;
        return n;
    }

    @Override
    public String toString() {
        return kind() + attrs();
    }

    /** Helper for rules: true if every entry is null. */
    protected static boolean allNull(Tensor[] ts) {
        if (ts == null) return true;
        for (Tensor t : ts) if (t != null) return false;
        return true;
    }
}
