package dev.apoptosis.prune.channels;

/**
 * ClassToken, [T, D] → [T+1, D]: the width D passes through (the token's [1, D] follows it), the
 * token axis is a new position axis.
 */
final class TokenPrepending implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Dim[] out = s.input(0).clone();
        s.freshPositions(out, 0, 1);
        return NodeLayout.of(out).withParams(s.alignParams(out, false));
    }
}
