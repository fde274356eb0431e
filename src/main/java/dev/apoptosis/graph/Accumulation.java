package dev.apoptosis.graph;

import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;

/**
 * Summing adjoint contributions without allocating when one of the two terms is the engine's own.
 *
 * <p>An adjoint reaching a node from several consumers is a sum. When either term is a tensor the
 * engine owns (handed over by a rule through {@link Adjoints#inputNew}, or a sum the engine allocated
 * itself) and that no one else can see, the other term is added into it in place; only when neither is
 * owned is a new tensor allocated. Float addition commutes exactly, so a + b computed into b is
 * bit-identical to a + b computed into a new tensor, and the order of a chain of sums is unchanged:
 * the result never depends on which term was owned. Engine side: {@link Adjoints} and the pass use
 * it; rules do not.
 */
public final class Accumulation {
    private Accumulation() {}

    /** acc + t; the result is owned by the caller (it is {@code acc}, {@code t} or a new tensor). */
    public static Tensor add(Tensor acc, boolean accOwned, Tensor t, boolean tOwned) {
        if (accOwned) return Elementwise.addInPlace(t, acc);
        if (tOwned) return Elementwise.addInPlace(acc, t);
        return Elementwise.add(acc, t);
    }
}
