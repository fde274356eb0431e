package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@link ChannelRules} over a graph in topological order: every axis of every node output
 * and parameter gets a {@link Dim}, Dims tied by an op are unified, and the graph's output axes (the
 * classes) are pinned. The result is what dependency groups and surgery read. It describes the graph
 * it was made from: after surgery, analyse the new graph again.
 */
public final class ChannelAnalysis {
    private final Graph graph;
    private final Dims dims;
    private final Map<String, NodeLayout> layouts;

    private ChannelAnalysis(Graph graph, Dims dims, Map<String, NodeLayout> layouts) {
        this.graph = graph;
        this.dims = dims;
        this.layouts = Collections.unmodifiableMap(layouts);
    }

    public static ChannelAnalysis of(Graph g) {
        Dims dims = new Dims();
        Map<String, NodeLayout> layouts = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            List<Dim[]> ins = new ArrayList<>();
            for (Node i : n.inputs()) ins.add(layouts.get(i.name()).output());
            NodeLayout l = ChannelRules.forKind(n.op().kind()).apply(new Site(n, ins, dims));
            if (l.output().length != n.outputShape().length) {
                throw new IllegalStateException("channel rule of " + n.op().kind() + " gave " + l.output().length
                        + " axes for node '" + n.name() + "' of rank " + n.outputShape().length);
            }
            layouts.put(n.name(), l);
        }
        for (Dim d : layouts.get(g.output().name()).output()) dims.pin(d, "model output '" + g.output().name() + "'");
        return new ChannelAnalysis(g, dims, layouts);
    }

    public Graph graph() {
        return graph;
    }

    public Dims dims() {
        return dims;
    }

    public NodeLayout layout(String node) {
        NodeLayout l = layouts.get(node);
        if (l == null) throw new IllegalArgumentException("no node '" + node + "' in graph '" + graph.name() + "'");
        return l;
    }

    public Map<String, NodeLayout> layouts() {
        return layouts;
    }
}
