package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.ops.Permute;

/** Permute: output axis i is input axis perm[i], Dims and all. */
final class Permuting implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        int[] perm = ((Permute) s.node().op()).perm();
        Dim[] in = s.input(0), out = new Dim[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = in[perm[i]];
        return NodeLayout.of(out);
    }
}
