package dev.apoptosis.prune;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.prune.channels.ChannelAnalysis;
import dev.apoptosis.prune.channels.Dim;
import dev.apoptosis.prune.channels.Dims;
import dev.apoptosis.prune.channels.NodeLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency {@link Group}s of a graph, found by {@link ChannelAnalysis}: one group per class of
 * channel Dims that carries parameters. Position axes (pixels, tokens) form no groups. Groups are
 * numbered in the order their channels first appear in the graph.
 *
 * <pre>
 *   DependencyGroups groups = DependencyGroups.of(graph);
 *   for (Group g : groups.prunable()) System.out.println(g.name() + ": " + g.channels());
 * </pre>
 */
public final class DependencyGroups {
    private final ChannelAnalysis analysis;
    private final List<Group> groups;

    private DependencyGroups(ChannelAnalysis analysis, List<Group> groups) {
        this.analysis = analysis;
        this.groups = Collections.unmodifiableList(groups);
    }

    public static DependencyGroups of(Graph g) {
        return of(ChannelAnalysis.of(g));
    }

    public static DependencyGroups of(ChannelAnalysis a) {
        Dims dims = a.dims();
        Map<Dim, List<Member>> params = new LinkedHashMap<>();
        Map<Dim, List<Member>> acts = new LinkedHashMap<>();
        Map<Dim, Set<String>> stats = new LinkedHashMap<>();
        Map<Dim, Integer> firstSeen = new LinkedHashMap<>();
        int order = 0;
        for (Node n : a.graph().nodes()) {
            NodeLayout l = a.layout(n.name());
            int[] shape = n.outputShape();
            for (int axis = 0; axis < l.output().length; axis++) {
                Member m = new Member(n.name(), null, axis, shape[axis], l.output()[axis]);
                for (Dim leaf : dims.leaves(m.dim())) {
                    acts.computeIfAbsent(leaf, k -> new ArrayList<>()).add(m);
                    firstSeen.putIfAbsent(leaf, order++);
                }
            }
            for (var e : l.params().entrySet()) {
                int[] pshape = a.graph().parameter(n.name() + "." + e.getKey()).value().shape();
                Dim[] axes = e.getValue();
                for (int axis = 0; axis < axes.length; axis++) {
                    if (axes[axis] == null) continue;
                    Member m = new Member(n.name(), e.getKey(), axis, pshape[axis], axes[axis]);
                    for (Dim leaf : dims.leaves(m.dim())) {
                        params.computeIfAbsent(leaf, k -> new ArrayList<>()).add(m);
                        firstSeen.putIfAbsent(leaf, order++);
                    }
                }
            }
            if (l.statisticsOver() != null) {
                for (Dim leaf : dims.leaves(l.statisticsOver())) stats.computeIfAbsent(leaf, k -> new LinkedHashSet<>()).add(n.name());
            }
        }
        List<Dim> leaves = new ArrayList<>(firstSeen.keySet());
        leaves.sort((x, y) -> Integer.compare(firstSeen.get(x), firstSeen.get(y)));
        List<Group> out = new ArrayList<>();
        for (Dim leaf : leaves) {
            List<Member> pm = params.getOrDefault(leaf, List.of());
            if (pm.isEmpty()) continue;
            boolean mixed = dims.mixedRoles(leaf);
            if (dims.roleOf(leaf) == Dim.Role.POSITION && !mixed) continue;
            String reason = dims.pinOf(leaf);
            if (reason == null && mixed) reason = "channels meet a position axis (" + leaf.origin() + ")";
            if (reason == null && leaf.size() < 2) reason = "a single channel";
            List<String> st = new ArrayList<>(stats.getOrDefault(leaf, Set.of()));
            Group provisional = new Group(a, leaf, out.size(), pm, acts.getOrDefault(leaf, List.of()), reason, st, Group.Kind.CHANNELS);
            out.add(new Group(a, leaf, out.size(), pm, acts.getOrDefault(leaf, List.of()), reason, st, kindOf(a, provisional)));
        }
        return new DependencyGroups(a, out);
    }

    /** BLOCKS if a parameter layer's output rows hold a contiguous block per channel, STRIDED if spread, else CHANNELS. */
    private static Group.Kind kindOf(ChannelAnalysis a, Group g) {
        for (Member m : g.members()) {
            if (m.axis() != 0 || !"weight".equals(m.tensor())) continue;
            if (!a.graph().node(m.node()).op().has(OpProperty.PARAMETER_LAYER)) continue;
            int[] idx = g.indicesOf(m, 0);
            if (idx.length <= 1) continue;
            boolean contiguous = idx[idx.length - 1] - idx[0] == idx.length - 1;
            return contiguous ? Group.Kind.BLOCKS : Group.Kind.STRIDED;
        }
        return Group.Kind.CHANNELS;
    }

    public ChannelAnalysis analysis() {
        return analysis;
    }

    public Graph graph() {
        return analysis.graph();
    }

    public List<Group> groups() {
        return groups;
    }

    public List<Group> prunable() {
        List<Group> p = new ArrayList<>();
        for (Group g : groups) if (g.prunable()) p.add(g);
        return p;
    }

    public Group get(int id) {
        if (id < 0 || id >= groups.size()) throw new IllegalArgumentException("no group " + id + " (there are " + groups.size() + ")");
        return groups.get(id);
    }
}
