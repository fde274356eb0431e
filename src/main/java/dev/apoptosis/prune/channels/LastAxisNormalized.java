package dev.apoptosis.prune.channels;

/**
 * LayerNorm over the last axis: index-aligned (its scale and shift follow the channels), but its
 * mean and variance are taken over every channel of the last axis, so removing channels changes
 * what the others become. The group is still prunable; the layout records the Dim its statistics
 * run over so that groups can say they are not removed exactly.
 */
final class LastAxisNormalized implements ChannelRule {
    private final IndexAligned aligned = new IndexAligned(false);

    @Override
    public NodeLayout apply(Site s) {
        NodeLayout l = aligned.apply(s);
        return l.withStatisticsOver(l.output()[l.output().length - 1]);
    }
}
