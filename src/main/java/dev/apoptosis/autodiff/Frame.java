package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Node;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;

/**
 * What one node's rules see during one pass: its input activations, parameter and buffer values,
 * the mode, its output once computed, and {@link #saved} — whatever its forward chose to keep for
 * the later rules (a mask, arg-max positions, normalisation statistics).
 *
 * <p>A frame belongs to a pass, never to the model, so passes leave no lasting state behind. Tensors
 * in a frame are read-only for the rules: an op never writes into its inputs, parameters or output.
 */
public final class Frame {
    public final Node node;
    public final Tensor[] inputs;
    public final Tensor[] params;
    /** Buffers (e.g. BatchNorm running statistics); ops may write them only when {@code mode.updatesRunningStatistics()}. */
    public final Tensor[] buffers;
    public final Mode mode;
    /** Random source for stochastic ops, derived from the pass seed and the node. */
    public final Random random;
    public Tensor output;
    /** Op-private data kept by forward for backward, tangent and rBackward. */
    public Object saved;

    public Frame(Node node, Tensor[] inputs, Tensor[] params, Tensor[] buffers, Mode mode, Random random) {
        this.node = node;
        this.inputs = inputs;
        this.params = params;
        this.buffers = buffers;
        this.mode = mode;
        this.random = random;
    }

    /** The node's name, for error messages. */
    public String name() {
        return node.name();
    }

    /** Input i's batch size (dimension 0). */
    public int batch() {
        return inputs[0].dim(0);
    }
}
