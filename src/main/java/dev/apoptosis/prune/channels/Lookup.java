package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.ops.Embedding;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Embedding: ids of shape s give [s, dim]; dim is a new set of channels, the columns of the table. */
final class Lookup implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Dim[] in = s.input(0);
        Dim[] out = java.util.Arrays.copyOf(in, in.length + 1);
        out[in.length] = s.fresh(in.length, Dim.Role.CHANNEL, "embedding width");
        return NodeLayout.of(out).withParams(Map.of("weight", new Dim[] {null, out[in.length]}));
    }

    @Override
    public Op resize(Op op, NodeLayout layout, Dims dims, ToIntFunction<Dim> newSize) {
        Embedding e = (Embedding) op;
        int dim = dims.sizeWith(layout.output()[layout.output().length - 1], newSize);
        return dim == e.dim() ? op : new Embedding(e.vocab(), dim);
    }
}
