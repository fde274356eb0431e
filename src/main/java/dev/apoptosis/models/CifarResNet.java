package dev.apoptosis.models;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.Linear;

/**
 * The CIFAR ResNets of He et al. (2016), depth 6n+2 (ResNet-20: n = 3, 32: n = 5, 56: n = 9).
 *
 * <p>conv1 3x3 (w) → BN → ReLU, then three stages of n basic blocks with w, 2w, 4w channels (the
 * first block of stages 2 and 3 has stride 2), global average pooling and one Linear layer. A basic
 * block is conv3x3 → BN → ReLU → conv3x3 → BN, plus the shortcut, then ReLU; the shortcut is the
 * identity, or a 1x1 conv (stride s, no bias) + BN where the shape changes (option B). Convolutions
 * use Kaiming-normal (fan-out) initialisation, the Linear PyTorch's default.
 *
 * <p>w = 16 is the classic network (ResNet-20: 0.27M parameters, ~41M MACs at 32x32); w = 64 the
 * wide variant (64/128/256 channels) used by the OBA paper's pruning experiments.
 */
final class CifarResNet {
    private CifarResNet() {}

    static Graph build(int depth, ModelOptions o) {
        if ((depth - 2) % 6 != 0) throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2, got " + depth);
        int n = (depth - 2) / 6;
        int[] in = o.inputOr(3, 32, 32);
        Blocks.requireImage("resnet" + depth, in);
        int w = o.widthOr(16);
        GraphBuilder b = new GraphBuilder("resnet" + depth, o.seed());
        Node x = b.input("input", in);
        x = Blocks.relu(b, "relu", Blocks.convBn(b, "conv1", "bn1", x, w, 3, 1, 1));
        for (int stage = 0; stage < 3; stage++) {
            int width = w << stage;
            for (int i = 0; i < n; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                x = basicBlock(b, "layer" + (stage + 1) + "." + i, x, width, stride);
            }
        }
        x = b.add("avgpool", new GlobalAvgPool(), x);
        return b.build(b.add("fc", Linear.of(o.numClasses()), x));
    }

    static Node basicBlock(GraphBuilder b, String p, Node x, int width, int stride) {
        Node h = Blocks.relu(b, p + ".relu1", Blocks.convBn(b, p + ".conv1", p + ".bn1", x, width, 3, stride, 1));
        h = Blocks.convBn(b, p + ".conv2", p + ".bn2", h, width, 3, 1, 1);
        Node shortcut = x;
        if (stride != 1 || Blocks.channels(x) != width) {
            shortcut = Blocks.convBn(b, p + ".shortcut.0", p + ".shortcut.1", x, width, 1, stride, 0);
        }
        return Blocks.relu(b, p + ".relu2", b.add(p + ".add", new Add(), h, shortcut));
    }
}
