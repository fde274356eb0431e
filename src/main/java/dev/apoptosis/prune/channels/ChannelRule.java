package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.Op;
import java.util.function.ToIntFunction;

/**
 * How channels flow through one op kind: given the Dims of a node's input axes, the Dims of its
 * output axes and parameter axes, unifying whatever the op ties together. {@link ChannelRules} maps
 * every op kind to one rule; an op kind without a rule is opaque and everything it touches is pinned.
 *
 * <p>The vocabulary of rules (each a class of this package): index-aligned (ReLU, BatchNorm, Add,
 * Dropout: output channel c is input channel c), mixing (Conv/Linear: output channels are a new
 * set; input channels index the weight's input axis), grouped convolution (input and output tied
 * group by group), concatenating (output = the inputs' ranges one after another), flattening and
 * reshaping (axes re-cut into factors: one channel of [C, H, W] is H·W features; a token width D
 * splits into heads × head width), permuting, contracting (MatMul of two activations: q·kᵀ ties the
 * head width of q and k; A·v ties v's width to the output's), pooling, normalising over the last
 * axis (LayerNorm: index-aligned, statistics over every channel), coupling the last axis (Softmax:
 * pinned), token ops (ClassToken, SelectToken), Embedding, and the model Input (pinned).
 */
public interface ChannelRule {
    /** Lays out the node's output and parameter axes; may unify and pin Dims through {@code site.dims()}. */
    NodeLayout apply(Site site);

    /**
     * The op for this node once leaf classes have the sizes {@code newSize} gives (pruning). Ops
     * whose attributes do not name a size (ReLU, BatchNorm: they read it from their input) stay.
     */
    default Op resize(Op op, NodeLayout layout, Dims dims, ToIntFunction<Dim> newSize) {
        return op;
    }
}
