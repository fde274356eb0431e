package dev.apoptosis.models;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;

/**
 * A ReLU multi-layer perceptron: [Flatten], fc1 (width) → ReLU → fc2 (width) → ReLU → fc3 (classes).
 * Default input 1x28x28, width 256. Inputs of rank 1 need no Flatten.
 */
final class Mlp {
    private Mlp() {}

    static Graph build(ModelOptions o) {
        int[] in = o.inputOr(1, 28, 28);
        int w = o.widthOr(256);
        GraphBuilder b = new GraphBuilder("mlp", o.seed());
        Node x = b.input("input", in);
        if (in.length > 1) x = b.add("flatten", new Flatten(), x);
        x = b.add("relu1", new ReLU(), b.add("fc1", Linear.of(w), x));
        x = b.add("relu2", new ReLU(), b.add("fc2", Linear.of(w), x));
        return b.build(b.add("fc3", Linear.of(o.numClasses()), x));
    }
}
