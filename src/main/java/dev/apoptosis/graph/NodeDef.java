package dev.apoptosis.graph;

import java.util.List;

/**
 * A node as stored (in a checkpoint or an imported model): name, op kind, attributes and input
 * node names. {@link Graph#fromDefs} checks and orders a list of them.
 */
public record NodeDef(String name, String kind, Attrs attrs, List<String> inputs) {
    public NodeDef {
        inputs = List.copyOf(inputs);
    }
}
