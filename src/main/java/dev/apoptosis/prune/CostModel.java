package dev.apoptosis.prune;

import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.prune.channels.ChannelAnalysis;
import dev.apoptosis.prune.channels.ChannelRules;
import dev.apoptosis.prune.channels.Dim;
import dev.apoptosis.prune.channels.Dims;
import dev.apoptosis.prune.channels.NodeLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * What a graph would cost with fewer channels, without building it: every node's op is resized and
 * asked for its MACs and parameter shapes at the shapes the Dims would have. It is the same count
 * as {@link ModelCost} on the graph surgery would build (tested), at a fraction of the cost, so a
 * selector can search for the number of channels that meets a MAC target.
 */
public final class CostModel {
    private final ChannelAnalysis analysis;

    public CostModel(ChannelAnalysis analysis) {
        this.analysis = analysis;
    }

    /** MACs and trainable parameters with {@code removed.get(g)} channels fewer in each group g. */
    public ModelCost cost(Map<Group, Integer> removed) {
        Dims dims = analysis.dims();
        Map<Dim, Integer> less = new HashMap<>();
        removed.forEach((g, n) -> less.merge(dims.find(g.leaf()), n, Integer::sum));
        java.util.function.ToIntFunction<Dim> size = d -> d.size() - less.getOrDefault(dims.find(d), 0);
        Map<String, int[]> shapes = new HashMap<>();
        long macs = 0, params = 0;
        for (Node n : analysis.graph().nodes()) {
            NodeLayout l = analysis.layout(n.name());
            int[] out = new int[l.output().length];
            for (int a = 0; a < out.length; a++) out[a] = dims.sizeWith(l.output()[a], size);
            shapes.put(n.name(), out);
            int[][] in = new int[n.inputs().size()][];
            for (int i = 0; i < in.length; i++) in[i] = shapes.get(n.inputs().get(i).name());
            if (n.isInput()) continue;
            Op op = ChannelRules.forKind(n.op().kind()).resize(n.op(), l, dims, size);
            macs += op.macs(in, out);
            for (ParamSpec p : op.params(in)) {
                if (!p.trainable()) continue;
                long k = 1;
                for (int s : p.shape()) k *= s;
                params += k;
            }
        }
        return new ModelCost(macs, params, params);
    }
}
