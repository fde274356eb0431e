package dev.apoptosis.prune;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;

/**
 * The one count of what a model costs, used for pruning targets and reports alike: multiply-adds
 * per sample ({@link Graph#macs()}, one multiply-add = one MAC, every op's own count), trainable
 * parameters ({@link Graph#numParameters()}), and the parameters an unstructured mask keeps.
 * A structurally pruned model's figures are its rebuilt graph's.
 */
public record ModelCost(long macs, long params, long keptParams) {

    public static ModelCost of(Graph g) {
        long kept = 0;
        for (Parameter p : g.parameters()) kept += p.keptEntries();
        return new ModelCost(g.macs(), g.numParameters(), kept);
    }

    /** This cost's MACs as a fraction of {@code base}'s. */
    public double macsFraction(ModelCost base) {
        return (double) macs / base.macs;
    }
}
