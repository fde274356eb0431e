package dev.apoptosis.prune.channels;

import java.util.List;

/**
 * Flatten of a sample to a vector: the output's one axis is the row-major product of the input's
 * axes, so channel c of [C, H, W] is the block of H·W consecutive features [c·H·W, (c+1)·H·W) of
 * the vector (and of the columns of the Linear that reads it).
 */
final class Flattening implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Dim out = s.dims().compose(Dim.Refinement.PRODUCT, List.of(s.input(0)), s.node().name() + " features");
        return NodeLayout.of(new Dim[] {out});
    }
}
