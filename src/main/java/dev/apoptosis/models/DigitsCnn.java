package dev.apoptosis.models;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MaxPool2d;

/**
 * The demo's network: a small BatchNorm CNN sized for 8x8 images, big enough that pruning has
 * choices to make and small enough to train, prune twice and fine-tune in well under a minute on two
 * cores. conv1 3x3 (w) → BN → ReLU → conv2 3x3 (2w) → BN → ReLU → max-pool 2 → conv3 3x3 (4w) → BN →
 * ReLU → global average pool → fc (classes); every convolution pads by 1, so the spatial size halves
 * once. Width w defaults to 16. On 1x8x8 with 10 classes: 24,058 parameters, 603,776 MACs (BatchNorm counted).
 */
final class DigitsCnn {
    private DigitsCnn() {}

    static Graph build(ModelOptions o) {
        int[] in = o.inputOr(1, 8, 8);
        Blocks.requireImage("digits-cnn", in);
        int w = o.widthOr(16);
        GraphBuilder b = new GraphBuilder("digits-cnn", o.seed());
        Node x = b.input("input", in);
        x = Blocks.relu(b, "relu1", Blocks.convBn(b, "conv1", "bn1", x, w, 3, 1, 1));
        x = Blocks.relu(b, "relu2", Blocks.convBn(b, "conv2", "bn2", x, 2 * w, 3, 1, 1));
        x = b.add("pool", new MaxPool2d(2), x);
        x = Blocks.relu(b, "relu3", Blocks.convBn(b, "conv3", "bn3", x, 4 * w, 3, 1, 1));
        x = b.add("avgpool", new GlobalAvgPool(), x);
        return b.build(b.add("fc", Linear.of(o.numClasses()), x));
    }
}
