package dev.apoptosis.prune;

import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Parameter;

/** The width of a layer with weights, read from its weight's declared output axis (not guessed from the output's rank). */
public final class LayerWidth {
    private LayerWidth() {}

    /** Output channels (features) of a Conv/Linear node: the length of its weight's output-channel axis. */
    public static int outputChannels(Node n) {
        for (Parameter p : n.params()) {
            int axis = p.spec().outChannelAxis();
            if (p.spec().name().equals("weight") && axis >= 0) return p.value().dim(axis);
        }
        throw new IllegalArgumentException("node '" + n.name() + "' (" + n.op().kind() + ") has no weight with an output-channel axis");
    }
}
