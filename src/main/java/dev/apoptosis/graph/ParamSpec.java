package dev.apoptosis.graph;

/**
 * Declares one parameter (trainable) or buffer (state such as BatchNorm running statistics) of an
 * op: its local name ("weight"), shape, initialisation, and which axes index the op's output and
 * input channels (-1 if none). Pruning removes slices along these axes.
 *
 * @param name           local name, unique within the node
 * @param shape          shape for the node's current input shapes
 * @param init           initial values
 * @param outChannelAxis axis indexing output channels, or -1
 * @param inChannelAxis  axis indexing input channels, or -1
 * @param trainable      false for buffers
 */
public record ParamSpec(String name, int[] shape, Init init, int outChannelAxis, int inChannelAxis, boolean trainable) {

    public static ParamSpec weight(String name, int[] shape, Init init, int outAxis, int inAxis) {
        return new ParamSpec(name, shape, init, outAxis, inAxis, true);
    }

    public static ParamSpec buffer(String name, int[] shape, Init init, int outAxis) {
        return new ParamSpec(name, shape, init, outAxis, -1, false);
    }
}
