package dev.apoptosis.graph;

/**
 * Properties of an op kind, declared once as data and consulted everywhere (autodiff, pruning,
 * export) instead of asking "is this a Conv2d?".
 *
 * <p>How channels flow through an op kind is not a property here: pruning declares it once per op
 * kind in {@code dev.apoptosis.prune.channels.ChannelRules}.
 */
public enum OpProperty {
    /**
     * Piecewise linear in its activation inputs: zero second derivative almost everywhere (ReLU, pooling,
     * add, reshape). Its rBackward has no second-order term and never reads the output adjoint g, which
     * the engine relies on to give g to its backward rule in curvature passes ({@code Adjoints} donation).
     */
    PIECEWISE_LINEAR,
    /** Conv/Linear: y = W ⋆ x + b, bilinear in (weight, input). OBA perturbs and scores these parameters. */
    PARAMETER_LAYER,
    /** Multiplies two activations (attention's q·kᵀ and p·v): contributes OBA's parallel-connectivity term. */
    ACTIVATION_PRODUCT,
    /** Moves elements to other positions without arithmetic (Flatten, Reshape, Transpose, Permute). */
    INDEX_REMAPPING,
    /** Normalises with statistics of its input (BatchNorm, LayerNorm). */
    NORMALIZATION,
    /** In training mode its output couples the samples of a batch (train-mode BatchNorm). */
    BATCH_COUPLED,
    /** Uses randomness in training mode (Dropout). */
    STOCHASTIC,
    /**
     * Its derivative rules read its own output (ReLU's mask, Softmax's probabilities), so no consumer
     * may write over that output in place (see {@code Frame#donatedInput}).
     */
    READS_OWN_OUTPUT
}
