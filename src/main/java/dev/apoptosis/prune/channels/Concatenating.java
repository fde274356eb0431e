package dev.apoptosis.prune.channels;

import java.util.ArrayList;
import java.util.List;

/**
 * Concat along the channel axis (axis 0 of an image, the last axis otherwise, as the op itself
 * decides): the output's channel Dim is the inputs' Dims one after another (a SUM), so channel i of
 * input k sits at the offset of input k plus i. Every other axis is shared by all inputs.
 */
final class Concatenating implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Dim[] first = s.input(0);
        int axis = dev.apoptosis.graph.ops.Concat.concatAxis(s.outputShape());  // the op decides its join axis
        List<Dim> parts = new ArrayList<>();
        for (Dim[] in : s.inputs()) {
            parts.add(in[axis]);
            for (int a = 0; a < first.length; a++) if (a != axis) s.dims().unify(first[a], in[a], s.name());
        }
        Dim[] out = first.clone();
        out[axis] = s.dims().compose(Dim.Refinement.SUM, parts, s.node().name() + " concatenated channels");
        return NodeLayout.of(out);
    }
}
