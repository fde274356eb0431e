package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.ops.Reshape;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Reshape: the input's axes, read row-major as a sequence of factors, are re-cut into the target
 * sizes. Splitting the token width D into [H, d] cuts D's Dim into heads × head width (so q's rows
 * become heads of rows); merging [H, d] back gives their product. A reshape whose sizes do not line
 * up with the factors (a cut across two channels) pins everything it touches. After pruning, the
 * target shape is the new sizes of its output Dims.
 */
final class Reshaping implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        int[] shape = s.outputShape();
        Dim[] out = s.dims().regroup(List.of(s.input(0)), shape, Dim.Role.POSITION, s.node().name());
        if (out == null) {
            String why = s.name() + " regroups axes across channel boundaries";
            for (Dim d : s.input(0)) s.dims().pin(d, why);
            out = new Dim[shape.length];
            for (int a = 0; a < shape.length; a++) {
                out[a] = s.fresh(a, Dim.Role.CHANNEL, "output axis " + a);
                s.dims().pin(out[a], why);
            }
        }
        return NodeLayout.of(out);
    }

    @Override
    public Op resize(Op op, NodeLayout layout, Dims dims, ToIntFunction<Dim> newSize) {
        Dim[] out = layout.output();
        int[] target = new int[out.length];
        for (int a = 0; a < out.length; a++) target[a] = dims.sizeWith(out[a], newSize);
        return new Reshape(target);
    }
}
