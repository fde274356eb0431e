package dev.apoptosis.prune.channels;

/**
 * A graph input: its channels (axis 0 of an image, the last axis otherwise) are the data's and can
 * never be pruned; its other axes are positions.
 */
final class ModelInput implements ChannelRule {
    @Override
    public NodeLayout apply(Site s) {
        int rank = s.outputShape().length;
        int channel = rank == 3 ? 0 : rank - 1;
        Dim[] out = new Dim[rank];
        for (int a = 0; a < rank; a++) {
            out[a] = s.fresh(a, a == channel ? Dim.Role.CHANNEL : Dim.Role.POSITION, a == channel ? "input channels" : "input positions");
            s.dims().pin(out[a], "model input '" + s.node().name() + "'");
        }
        return NodeLayout.of(out);
    }
}
