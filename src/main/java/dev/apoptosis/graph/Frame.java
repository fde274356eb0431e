package dev.apoptosis.graph;

import dev.apoptosis.tensor.Tensor;
import java.util.Random;

/**
 * What one node's rules see during one pass: its input activations, parameter and buffer values,
 * the mode, its output once computed, and {@link #saved} — whatever its forward chose to keep for
 * the later rules (a mask, arg-max positions, normalisation statistics).
 *
 * <p>A frame belongs to a pass, never to the model, so passes leave no lasting state behind. Tensors
 * in a frame are read-only for the rules: an op never writes into its inputs, parameters or output,
 * with one exception: a forward rule may write its output over an input the engine has donated
 * ({@link #donatedInput}).
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
    private Tensor[] donated;
    private boolean[] taken;

    public Frame(Node node, Tensor[] inputs, Tensor[] params, Tensor[] buffers, Mode mode, Random random) {
        this.node = node;
        this.inputs = inputs;
        this.params = params;
        this.buffers = buffers;
        this.mode = mode;
        this.random = random;
    }

    /**
     * Input i when the engine gives it up to this node's forward rule, which may then compute its output
     * over it in place (elementwise, reading each element before writing it) and return it; null when
     * the input must be left alone. The engine donates only in a TRAIN pass that keeps its frames or a
     * pass that keeps none (no rule runs after the forward rules), and
     * only an input that nothing else will read: this node is its only consumer, it is not a graph
     * input or the graph output, its producer's rules do not read their own output
     * ({@code OpProperty.READS_OWN_OUTPUT}), and its storage is its own (not a view of another tensor).
     * The rule's other rules must then not need the input's old values (ReLU's read its output, Add's
     * nothing).
     */
    public Tensor donatedInput(int i) {
        if (donated == null || donated[i] == null) return null;
        if (taken == null) taken = new boolean[inputs.length];
        taken[i] = true;
        return donated[i];
    }

    /**
     * Engine side (the pass that runs the rules): offers {@code inputs} (null entries: not donated)
     * to the next forward rule; null withdraws the offer. Rules do not call it.
     */
    public void donate(Tensor[] inputs) {
        this.donated = inputs;
    }

    /** Engine side: true if the forward rule asked for donated input i, and so may have written over it. */
    public boolean took(int i) {
        return taken != null && taken[i];
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
