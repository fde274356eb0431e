package dev.apoptosis.graph;

import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;

/**
 * Where an op's backward or rBackward rule delivers its results: one tensor per input and per
 * parameter. Rules should ask {@link #wantsInput} / {@link #wantsParam} and skip work nobody needs
 * (the input image needs no gradient; an H·v pass may not need parameter gradients).
 *
 * <p><b>Ownership.</b> The engine sums contributions from several consumers itself. A tensor delivered
 * with {@link #input} is only read: the rule may deliver {@code gy} itself or a view of it (Add and
 * Reshape do). A tensor delivered with {@link #inputNew} is handed over: the rule has just allocated it
 * for this one delivery, keeps no reference to it (not in {@link Frame#saved}, not as a view) and
 * delivers it nowhere else, so the engine may add other contributions into it in place instead of
 * allocating their sum. Either way a rule's result must not depend on which method it used.
 *
 * <p><b>Donation.</b> The engine often owns the output adjoint it hands a rule (it was handed over with
 * {@link #inputNew}, or is a sum the engine made) and reads it no more once the rule returns. It then
 * offers it through {@link #donatedOutputAdjoint}: {@code gy} to a backward rule in a plain backward
 * pass, and in a curvature pass to a piecewise-linear op's backward (whose rBackward reads only ġ);
 * {@code ġ} to every rBackward rule. An elementwise rule (ReLU, the smooth activations, BatchNorm's
 * input adjoint) may write its input adjoint over it, reading every element before writing it, and
 * deliver that with {@link #inputNew}. This saves a fresh allocation and one of
 * the memory streams of the memory-bound rules. A rule that uses {@code gy} for anything after writing
 * over it (parameter gradients, a memo keyed by it) must compute that first or not take the donation.
 */
public final class Adjoints {
    private final Tensor[] inputs;
    private final boolean[] owned;
    private final Tensor[] params;
    private final boolean[] wantInputs;
    private final boolean wantParams;
    private final Tensor donated;

    public Adjoints(boolean[] wantInputs, int numParams, boolean wantParams) {
        this(wantInputs, numParams, wantParams, null);
    }

    /** Engine side. With {@code donated}: the output adjoint the engine gives up to the rule (see the class comment), or null. */
    public Adjoints(boolean[] wantInputs, int numParams, boolean wantParams, Tensor donated) {
        this.donated = donated;
        this.inputs = new Tensor[wantInputs.length];
        this.owned = new boolean[wantInputs.length];
        this.params = new Tensor[numParams];
        this.wantInputs = wantInputs;
        this.wantParams = wantParams;
    }

    /**
     * The output adjoint this rule receives ({@code gy} for backward, {@code ġ} for rBackward) when the
     * engine gives it up, so the rule may write its input adjoint over it (see the class comment); null
     * when the rule must leave it alone.
     */
    public Tensor donatedOutputAdjoint() {
        return donated;
    }

    public boolean wantsInput(int i) {
        return wantInputs[i];
    }

    public boolean wantsParam(int j) {
        return wantParams;
    }

    /** Delivers the adjoint of input i (ignored if not wanted); must have the input's shape; only read. */
    public void input(int i, Tensor t) {
        if (!wantInputs[i]) return;
        for (int k = 0; k < inputs.length; k++) {
            if (owned[k] && inputs[k].data() == t.data()) {
                throw new IllegalStateException("Adjoints.input: the tensor for input " + i
                        + " shares storage with the handed-over adjoint of input " + k);
            }
        }
        if (inputs[i] == null) {
            inputs[i] = t;
            owned[i] = false;
        } else {
            accumulate(i, t, false);
        }
    }

    /**
     * Delivers the adjoint of input i (ignored if not wanted) as a tensor the rule has just allocated
     * and hands over (see the class comment): the engine may accumulate into it in place.
     *
     * @throws IllegalStateException if {@code t} shares storage with another input's adjoint, which a
     *         handed-over tensor must never do
     */
    public void inputNew(int i, Tensor t) {
        if (!wantInputs[i]) return;
        for (int k = 0; k < inputs.length; k++) {
            if (inputs[k] != null && inputs[k].data() == t.data()) {
                throw new IllegalStateException("Adjoints.inputNew: the tensor for input " + i
                        + " shares storage with the adjoint of input " + k + "; deliver it with input(...) instead");
            }
        }
        if (inputs[i] == null) {
            inputs[i] = t;
            owned[i] = true;
        } else {
            accumulate(i, t, true);
        }
    }

    /** inputs[i] + t, in place into whichever of the two is owned (addition commutes exactly). */
    private void accumulate(int i, Tensor t, boolean tOwned) {
        inputs[i] = Accumulation.add(inputs[i], owned[i], t, tOwned);
        owned[i] = true;
    }

    /** Delivers the adjoint of parameter j (ignored if not wanted). */
    public void param(int j, Tensor t) {
        if (wantParams) params[j] = params[j] == null ? t : Elementwise.add(params[j], t);
    }

    public Tensor inputAdjoint(int i) {
        return inputs[i];
    }

    /** Engine side: true if the engine owns {@link #inputAdjoint}(i) and may write into it. */
    public boolean ownsInputAdjoint(int i) {
        return owned[i];
    }

    public Tensor paramAdjoint(int j) {
        return params[j];
    }
}
