package dev.apoptosis.autodiff;

import dev.apoptosis.tensor.Elementwise;
import dev.apoptosis.tensor.Tensor;

/**
 * Where an op's backward or rBackward rule delivers its results: one tensor per input and per
 * parameter. Rules should ask {@link #wantsInput} / {@link #wantsParam} and skip work nobody needs
 * (the input image needs no gradient; an H·v pass may not need parameter gradients).
 *
 * <p>The engine sums contributions from several consumers itself and never writes into a tensor it
 * was given, so a rule may deliver a view of {@code gy} (Add does) without copying.
 */
public final class Adjoints {
    private final Tensor[] inputs;
    private final Tensor[] params;
    private final boolean[] wantInputs;
    private final boolean wantParams;

    public Adjoints(boolean[] wantInputs, int numParams, boolean wantParams) {
        this.inputs = new Tensor[wantInputs.length];
        this.params = new Tensor[numParams];
        this.wantInputs = wantInputs;
        this.wantParams = wantParams;
    }

    public boolean wantsInput(int i) {
        return wantInputs[i];
    }

    public boolean wantsParam(int j) {
        return wantParams;
    }

    /** Delivers the adjoint of input i (ignored if not wanted); must have the input's shape. */
    public void input(int i, Tensor t) {
        if (wantInputs[i]) inputs[i] = inputs[i] == null ? t : Elementwise.add(inputs[i], t);
    }

    /** Delivers the adjoint of parameter j (ignored if not wanted). */
    public void param(int j, Tensor t) {
        if (wantParams) params[j] = params[j] == null ? t : Elementwise.add(params[j], t);
    }

    public Tensor inputAdjoint(int i) {
        return inputs[i];
    }

    public Tensor paramAdjoint(int j) {
        return params[j];
    }
}
