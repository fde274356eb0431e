package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.ops.Linear;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Linear on the last axis, a mixing op: output features are a new set of channels (the rows of W
 * and b); the input's last axis indexes W's columns; leading axes (tokens) pass through.
 */
final class LinearRule implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Dim[] in = s.input(0);
        Dim[] out = in.clone();
        int last = out.length - 1;
        out[last] = s.fresh(last, Dim.Role.CHANNEL, "output features");
        Linear op = (Linear) s.node().op();
        Map<String, Dim[]> p = new java.util.LinkedHashMap<>();
        p.put("weight", new Dim[] {out[last], in[last]});
        if (op.hasBias()) p.put("bias", new Dim[] {out[last]});
        return NodeLayout.of(out).withParams(p);
    }

    @Override
    public Op resize(Op op, NodeLayout layout, Dims dims, ToIntFunction<Dim> newSize) {
        Linear l = (Linear) op;
        int out = dims.sizeWith(layout.output()[layout.output().length - 1], newSize);
        return out == l.outFeatures() ? op : new Linear(out, l.hasBias());
    }
}
