package dev.apoptosis.graph;

/**
 * Properties of an op kind, declared once as data and consulted everywhere (autodiff, pruning,
 * export) instead of asking "is this a Conv2d?".
 *
 * <p>Channel vocabulary: a <em>channel</em> is one index along an op's channel axis (axis 0 of an
 * image sample [C,H,W], the last axis of a token sample [T,D] or a feature vector [D]).
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
    /** Output channel c depends only on input channel c of every input (ReLU, BatchNorm, pooling, add). */
    CHANNEL_PRESERVING,
    /** Every output channel depends on every input channel through a weight (Conv/Linear). */
    CHANNEL_MIXING,
    /** Output channels are the inputs' channels one after another (Concat). */
    CHANNEL_CONCATENATING,
    /** Output channel c depends on the input channels of its group only (grouped/depthwise conv). */
    CHANNEL_GROUPED,
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
