package dev.apoptosis.prune.channels;

import java.util.Map;

/**
 * The one table from op kind to {@link ChannelRule}. An op kind missing here is {@link Opaque}:
 * channel analysis pins whatever it touches, so a new op can make groups unprunable but never lets
 * the pruner break a model. Adding an op to the engine means adding its line here.
 */
public final class ChannelRules {
    private static final ChannelRule INDEX_ALIGNED = new IndexAligned(false);
    private static final ChannelRule CHANNEL_FIRST_AFFINE = new IndexAligned(true);
    private static final ChannelRule OPAQUE = new Opaque();

    private static final Map<String, ChannelRule> TABLE = Map.ofEntries(
            Map.entry("Input", new ModelInput()),
            // index-aligned: output channel c is input channel c (elementwise, per-channel affine, Add)
            Map.entry("ReLU", INDEX_ALIGNED),
            Map.entry("GELU", INDEX_ALIGNED),
            Map.entry("SiLU", INDEX_ALIGNED),
            Map.entry("Tanh", INDEX_ALIGNED),
            Map.entry("ReLU6", INDEX_ALIGNED),
            Map.entry("Dropout", INDEX_ALIGNED),
            Map.entry("Scale", INDEX_ALIGNED),
            Map.entry("Add", INDEX_ALIGNED),
            Map.entry("PositionalEmbedding", INDEX_ALIGNED),
            Map.entry("BatchNorm2d", CHANNEL_FIRST_AFFINE),
            // index-aligned, statistics over the last axis
            Map.entry("LayerNorm", new LastAxisNormalized()),
            // the last axis is coupled: pinned
            Map.entry("Softmax", new LastAxisCoupled()),
            // mixing and grouped
            Map.entry("Linear", new LinearRule()),
            Map.entry("Conv2d", new ConvolutionRule()),
            // pooling
            Map.entry("MaxPool2d", new Pooling()),
            Map.entry("AvgPool2d", new Pooling()),
            Map.entry("GlobalAvgPool", new GlobalPooling()),
            // axes re-cut or moved
            Map.entry("Flatten", new Flattening()),
            Map.entry("Reshape", new Reshaping()),
            Map.entry("Permute", new Permuting()),
            Map.entry("Concat", new Concatenating()),
            Map.entry("MatMul", new Contracting()),
            // tokens
            Map.entry("ClassToken", new TokenPrepending()),
            Map.entry("SelectToken", new TokenSelecting()),
            Map.entry("Embedding", new Lookup()));

    private ChannelRules() {}

    /** The rule for {@code kind}; the opaque rule if there is none. */
    public static ChannelRule forKind(String kind) {
        return TABLE.getOrDefault(kind, OPAQUE);
    }

    /** True if {@code kind} has a rule of its own. */
    public static boolean covers(String kind) {
        return TABLE.containsKey(kind);
    }
}
