package dev.apoptosis.prune.channels;

/**
 * The rule of an op kind the table does not know: nothing is assumed, so every Dim of its inputs
 * and outputs is pinned with the node's name. A group that reaches it is reported unprunable.
 */
final class Opaque implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        String why = s.name() + " has no channel rule";
        for (Dim[] in : s.inputs()) for (Dim d : in) s.dims().pin(d, why);
        int[] shape = s.outputShape();
        Dim[] out = new Dim[shape.length];
        for (int a = 0; a < shape.length; a++) {
            out[a] = s.fresh(a, Dim.Role.CHANNEL, "output axis " + a);
            s.dims().pin(out[a], why);
        }
        java.util.Map<String, Dim[]> params = new java.util.LinkedHashMap<>();
        for (var p : s.node().op().params(s.node().inputShapes())) params.put(p.name(), new Dim[p.shape().length]);
        return NodeLayout.of(out).withParams(params);
    }
}
