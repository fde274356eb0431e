package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Op;

/**
 * An op whose output element i depends on input element i alone (ReLU, Dropout, Scale, the smooth
 * activations): one input, an output of the same shape, channels on the input's natural axis. The
 * shape and channel declarations live here once; subclasses declare kind, properties and the rules.
 */
abstract class ElementwiseUnaryOp extends Op {
    @Override public final int arity() { return 1; }
    @Override public final int[] outputShape(int[][] in) { return in[0].clone(); }
}
