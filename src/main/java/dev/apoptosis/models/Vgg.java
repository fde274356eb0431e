package dev.apoptosis.models;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MaxPool2d;

/**
 * VGG-11/16/19 with BatchNorm for CIFAR (Simonyan &amp; Zisserman 2015; the common CIFAR variant):
 * five stages of 3x3 convolutions (no bias) → BN → ReLU, each stage closed by a 2x2 max-pool, then
 * Flatten and one Linear classifier. Stage widths are w, 2w, 4w, 8w, 8w (w = 64: 64...512).
 * Node names follow torchvision's {@code features.i} numbering (conv, bn, relu, pool) and {@code classifier}.
 * VGG-19-BN at 3x32x32: ~20.0M parameters, ~399M MACs.
 */
final class Vgg {
    private Vgg() {}

    /** Convolutions per stage. */
    static int[] convsPerStage(int depth) {
        return switch (depth) {
            case 11 -> new int[] {1, 1, 2, 2, 2};
            case 13 -> new int[] {2, 2, 2, 2, 2};
            case 16 -> new int[] {2, 2, 3, 3, 3};
            case 19 -> new int[] {2, 2, 4, 4, 4};
            default -> throw new IllegalArgumentException("VGG depth must be 11, 13, 16 or 19, got " + depth);
        };
    }

    static Graph build(int depth, ModelOptions o) {
        int[] convs = convsPerStage(depth);
        int[] in = o.inputOr(3, 32, 32);
        Blocks.requireImage("vgg" + depth, in);
        int w = o.widthOr(64);
        int[] widths = {w, 2 * w, 4 * w, 8 * w, 8 * w};
        GraphBuilder b = new GraphBuilder("vgg" + depth, o.seed());
        Node x = b.input("input", in);
        int idx = 0;
        for (int s = 0; s < 5; s++) {
            for (int k = 0; k < convs[s]; k++) {
                x = Blocks.convBn(b, "features." + idx, "features." + (idx + 1), x, widths[s], 3, 1, 1);
                x = Blocks.relu(b, "features." + (idx + 2), x);
                idx += 3;
            }
            x = b.add("features." + idx++, new MaxPool2d(2), x);
        }
        x = b.add("flatten", new Flatten(), x);
        return b.build(b.add("classifier", Linear.of(o.numClasses()), x));
    }
}
