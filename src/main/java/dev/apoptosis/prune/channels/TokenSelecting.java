package dev.apoptosis.prune.channels;

import java.util.Arrays;

/** SelectToken, [T, rest] → [rest]: the remaining axes pass through. */
final class TokenSelecting implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Dim[] in = s.input(0);
        return NodeLayout.of(Arrays.copyOfRange(in, 1, in.length));
    }
}
