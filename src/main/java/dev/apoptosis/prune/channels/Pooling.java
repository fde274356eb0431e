package dev.apoptosis.prune.channels;

/** Max or average pooling over [C, H, W]: channels index-aligned, the pooled H and W are new positions. */
final class Pooling implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Dim[] out = new Dim[3];
        out[0] = s.input(0)[0];
        s.freshPositions(out, 1, 3);
        return NodeLayout.of(out);
    }
}
