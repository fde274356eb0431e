package dev.apoptosis.prune.channels;

import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ParamSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ChannelRule} sees of one node: the node, the Dims of its inputs' axes and the table
 * to create and unify Dims in. Helpers name new Dims after the node so that reports can say where a
 * group was born.
 */
public record Site(Node node, List<Dim[]> inputs, Dims dims) {

    public String name() {
        return "node '" + node.name() + "' (" + node.op().kind() + ")";
    }

    public Dim[] input(int i) {
        return inputs.get(i);
    }

    public int[] outputShape() {
        return node.outputShape();
    }

    /** A new Dim for output axis {@code axis}. */
    public Dim fresh(int axis, Dim.Role role, String what) {
        return dims.create(outputShape()[axis], role, node.name() + " " + what);
    }

    /** Output axes [from, to) as new position Dims (pixels or tokens this op creates). */
    public void freshPositions(Dim[] out, int from, int to) {
        for (int a = from; a < to; a++) out[a] = fresh(a, Dim.Role.POSITION, "positions (axis " + a + ")");
    }

    /**
     * Aligns each parameter's axes with output axes: {@code leading} aligns a parameter's axis k with
     * output axis k (BatchNorm's [C] with [C, H, W]); otherwise with the trailing axes, as
     * broadcasting does (LayerNorm's [D] and a position embedding's [T, D] with [T, D]). An axis whose
     * size differs from the output axis it meets (ClassToken's [1, D]) follows no Dim.
     */
    public Map<String, Dim[]> alignParams(Dim[] out, boolean leading) {
        Map<String, Dim[]> m = new LinkedHashMap<>();
        int[] shape = outputShape();
        for (ParamSpec s : node.op().params(node.inputShapes())) {
            int[] ps = s.shape();
            Dim[] axes = new Dim[ps.length];
            for (int k = 0; k < ps.length; k++) {
                int a = leading ? k : shape.length - ps.length + k;
                if (a >= 0 && a < shape.length && shape[a] == ps[k]) axes[k] = out[a];
            }
            m.put(s.name(), axes);
        }
        return m;
    }
}
