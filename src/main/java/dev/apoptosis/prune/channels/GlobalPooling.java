package dev.apoptosis.prune.channels;

/** Global average pooling [C, H, W] → [C]: channels index-aligned, positions gone. */
final class GlobalPooling implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        return NodeLayout.of(new Dim[] {s.input(0)[0]});
    }
}
