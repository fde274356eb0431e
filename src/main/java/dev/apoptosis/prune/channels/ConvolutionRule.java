package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.ops.Conv2d;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Conv2d. With one group it mixes: output channels are a new set (W's rows and b), input channels
 * index W's axis 1. With G groups the input channels are cut into G × (Cin/G) and the output
 * channels into G × (Cout/G), the G factors unified: removing a group removes its input channels,
 * its filters and its outputs together; removing index j of the per-group input (or output) factor
 * removes channel j of every group, which keeps the groups equal as the convolution needs. A
 * depthwise convolution (Cin = G) ties input channel c to output channel(s) c. Spatial output axes
 * are new positions.
 */
final class ConvolutionRule implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        Conv2d op = (Conv2d) s.node().op();
        Dim[] in = s.input(0);
        Dim[] out = new Dim[3];
        s.freshPositions(out, 1, 3);
        int g = op.groups(), cin = s.node().inputShapes()[0][0], cout = op.outChannels();
        Dim inPerGroup, groups = null;
        if (g == 1) {
            out[0] = s.fresh(0, Dim.Role.CHANNEL, "output channels");
            inPerGroup = in[0];
        } else {
            Dim[] cut = s.dims().regroup(List.of(in[0]), new int[] {g, cin / g}, Dim.Role.CHANNEL, s.name() + " input groups");
            if (cut == null) {
                s.dims().pin(in[0], s.name() + ": its input channels cannot be cut into " + g + " groups");
                out[0] = s.fresh(0, Dim.Role.CHANNEL, "output channels");
                s.dims().pin(out[0], s.name() + ": its input channels cannot be cut into " + g + " groups");
                inPerGroup = null;
            } else {
                Dim perGroupOut = cout / g == 1 ? null : s.dims().create(cout / g, Dim.Role.CHANNEL, s.node().name() + " output channels per group");
                out[0] = perGroupOut == null ? cut[0]
                        : s.dims().compose(Dim.Refinement.PRODUCT, List.of(cut[0], perGroupOut), s.node().name() + " output channels");
                inPerGroup = cin / g == 1 ? null : cut[1];
                groups = cut[0];
            }
        }
        Map<String, Dim[]> p = new LinkedHashMap<>();
        p.put("weight", new Dim[] {out[0], inPerGroup, null, null});
        if (op.hasBias()) p.put("bias", new Dim[] {out[0]});
        return NodeLayout.of(out).withParams(p).withGroups(groups);
    }

    @Override
    public Op resize(Op op, NodeLayout layout, Dims dims, ToIntFunction<Dim> newSize) {
        Conv2d c = (Conv2d) op;
        int out = dims.sizeWith(layout.output()[0], newSize);
        int groups = c.groups();
        if (layout.groups() != null) groups = dims.sizeWith(layout.groups(), newSize);
        if (out == c.outChannels() && groups == c.groups()) return op;
        return c.toBuilder().withOutChannels(out).groups(groups).build();
    }
}
