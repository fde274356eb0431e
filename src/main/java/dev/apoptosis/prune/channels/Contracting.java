package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.ops.MatMul;

/**
 * MatMul of two activations, a [.., m, k] · b [.., k, n] (or bᵀ with b [.., n, k]): the leading
 * (batch, head) axes of a and b are one index space, and so is the contracted k. For attention
 * scores q·kᵀ this ties the head width of q to that of k, and the heads of both; for A·v it ties
 * v's heads and width to the output's. Removing a contracted index drops one term of every dot
 * product; removing a leading index drops whole matrices.
 */
final class Contracting implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        boolean tb = ((MatMul) s.node().op()).transposeB();
        Dim[] a = s.input(0), b = s.input(1);
        int r = a.length;
        Dim[] out = a.clone();
        for (int i = 0; i < r - 2; i++) s.dims().unify(a[i], b[i], s.name());
        s.dims().unify(a[r - 1], tb ? b[r - 1] : b[r - 2], s.name());
        out[r - 1] = tb ? b[r - 2] : b[r - 1];
        return NodeLayout.of(out);
    }
}
