package dev.apoptosis.prune.channels;

/**
 * Softmax over the last axis: every output of a row depends on every input of the row, so the last
 * axis cannot lose an index without changing the others. Other axes are index-aligned. In attention
 * the last axis is the keys (tokens), which are never pruned anyway.
 */
final class LastAxisCoupled implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Dim[] out = s.input(0).clone();
        s.dims().pin(out[out.length - 1], s.name() + " normalises over its last axis");
        return NodeLayout.of(out);
    }
}
