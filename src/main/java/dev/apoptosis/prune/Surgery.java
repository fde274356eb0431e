package dev.apoptosis.prune;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.prune.channels.ChannelAnalysis;
import dev.apoptosis.prune.channels.ChannelRules;
import dev.apoptosis.prune.channels.Dim;
import dev.apoptosis.prune.channels.Dims;
import dev.apoptosis.prune.channels.NodeLayout;
import dev.apoptosis.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Physical pruning: removes channels of groups and returns a new, smaller graph (through
 * {@link Graph#rebuild}) whose weights, biases, normalisation parameters and running statistics are
 * sliced, whose ops are resized (a conv's output count, a Reshape's head count), and whose masks
 * follow. The source graph is left as it was. {@link Result#slice} cuts any other per-parameter
 * tensors the same way (SGD momentum, importance scores).
 *
 * <pre>
 *   DependencyGroups groups = DependencyGroups.of(graph);
 *   Surgery.Result r = Surgery.remove(groups, Map.of(groups.get(3), new int[] {0, 5}));
 *   Graph smaller = r.graph();
 * </pre>
 */
public final class Surgery {
    private Surgery() {}

    /** The smaller graph, what was removed, and the slicing for other per-parameter tensors. */
    public record Result(Graph graph, PruneRecord record, Map<String, boolean[][]> removedAxes) {
        /**
         * Cuts per-parameter tensors keyed by full parameter name (momentum buffers, masks, scores)
         * as the parameters were cut; names the surgery did not touch pass unchanged.
         */
        public Map<String, Tensor> slice(Map<String, Tensor> perParameter) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : perParameter.entrySet()) {
                boolean[][] cut = removedAxes.get(e.getKey());
                out.put(e.getKey(), cut == null ? e.getValue() : TensorSlicing.without(e.getValue(), cut));
            }
            return out;
        }
    }

    /**
     * Removes root channels {@code removals.get(g)} of each group g (all of the same
     * {@link DependencyGroups}). Every group must be prunable and keep at least one channel;
     * indices must be distinct and in range.
     */
    public static Result remove(DependencyGroups groups, Map<Group, int[]> removals) {
        ChannelAnalysis a = groups.analysis();
        Dims dims = a.dims();
        Graph g = a.graph();
        Map<Dim, boolean[]> flags = new HashMap<>();
        Map<Dim, Integer> removedCount = new HashMap<>();
        List<PruneRecord.Removal> record = new ArrayList<>();
        for (Group grp : groups.groups()) {
            int[] idx = removals.get(grp);
            if (idx == null || idx.length == 0) continue;
            if (grp.analysis() != a) throw new IllegalArgumentException(grp + " belongs to another analysis");
            if (!grp.prunable()) throw new IllegalArgumentException("cannot prune " + grp);
            boolean[] f = new boolean[grp.channels()];
            for (int i : idx) {
                if (i < 0 || i >= f.length) throw new IllegalArgumentException(grp + ": channel " + i + " out of range");
                if (f[i]) throw new IllegalArgumentException(grp + ": channel " + i + " given twice");
                f[i] = true;
            }
            if (idx.length >= f.length) throw new IllegalArgumentException(grp + ": removing all " + f.length + " channels");
            flags.put(dims.find(grp.leaf()), f);
            removedCount.put(dims.find(grp.leaf()), idx.length);
            int[] sorted = idx.clone();
            Arrays.sort(sorted);
            record.add(new PruneRecord.Removal(grp.name(), grp.channels(), sorted));
        }
        for (Group grp : removals.keySet()) {
            if (!groups.groups().contains(grp)) throw new IllegalArgumentException(grp + " is not one of these groups");
        }
        java.util.function.ToIntFunction<Dim> newSize = d -> d.size() - removedCount.getOrDefault(dims.find(d), 0);

        Map<String, Op> ops = new HashMap<>();
        Map<String, Tensor> values = new HashMap<>();
        Map<String, boolean[][]> cuts = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            NodeLayout l = a.layout(n.name());
            Op resized = ChannelRules.forKind(n.op().kind()).resize(n.op(), l, dims, newSize);
            if (resized != n.op()) ops.put(n.name(), resized);
            for (Map.Entry<String, Dim[]> e : l.params().entrySet()) {
                Parameter p = g.parameter(n.name() + "." + e.getKey());
                Dim[] axes = e.getValue();
                boolean[][] cut = new boolean[axes.length][];
                boolean any = false;
                for (int ax = 0; ax < axes.length; ax++) {
                    if (axes[ax] == null) continue;
                    boolean[] r = dims.removedIndices(axes[ax], d -> flags.get(dims.find(d)));
                    for (boolean b : r) any |= b;
                    cut[ax] = r;
                }
                if (!any) continue;
                cuts.put(p.name(), cut);
                values.put(p.name(), TensorSlicing.without(p.value(), cut));
            }
        }
        // Copies, not shared tensors: fine-tuning the smaller graph must not move the source's weights.
        for (Parameter p : g.parameters()) values.putIfAbsent(p.name(), p.value().copy());
        for (Parameter p : g.buffers()) values.putIfAbsent(p.name(), p.value().copy());
        ModelCost before = ModelCost.of(g);
        Graph smaller = g.rebuild(ops, values);
        Result result = new Result(smaller, null, cuts);
        smaller.applyMasks(result.slice(g.masks()));
        return new Result(smaller, new PruneRecord(record, before, ModelCost.of(smaller)), cuts);
    }
}
