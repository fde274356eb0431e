package dev.apoptosis.models;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MaxPool2d;

/**
 * ImageNet ResNet-50 (He et al. 2016) as torchvision defines it (v1.5: the stride sits in the 3x3
 * convolution of a bottleneck). conv1 7x7/2 (64) → BN → ReLU → max-pool 3x3/2 → stages of 3, 4, 6, 3
 * bottlenecks (1x1 → 3x3 → 1x1 with 4x expansion; widths w, 2w, 4w, 8w; w = 64) → global average
 * pooling → fc. The shortcut is a 1x1 conv + BN where the shape changes. At 3x224x224 with 1000
 * classes: 25,557,032 parameters, ~4.1 GMACs.
 */
final class ResNet50 {
    private ResNet50() {}

    static Graph build(ModelOptions o) {
        int[] in = o.inputOr(3, 224, 224);
        Blocks.requireImage("resnet50", in);
        int w = o.widthOr(64);
        int[] blocks = {3, 4, 6, 3};
        GraphBuilder b = new GraphBuilder("resnet50", o.seed());
        Node x = b.input("input", in);
        x = Blocks.relu(b, "relu", Blocks.convBn(b, "conv1", "bn1", x, w, 7, 2, 3));
        x = b.add("maxpool", new MaxPool2d(3, 2, 1, 1), x);
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < blocks[s]; i++) {
                x = bottleneck(b, "layer" + (s + 1) + "." + i, x, w << s, s > 0 && i == 0 ? 2 : 1);
            }
        }
        x = b.add("avgpool", new GlobalAvgPool(), x);
        return b.build(b.add("fc", Linear.of(o.numClasses()), x));
    }

    static Node bottleneck(GraphBuilder b, String p, Node x, int width, int stride) {
        int out = 4 * width;
        Node h = Blocks.relu(b, p + ".relu1", Blocks.convBn(b, p + ".conv1", p + ".bn1", x, width, 1, 1, 0));
        h = Blocks.relu(b, p + ".relu2", Blocks.convBn(b, p + ".conv2", p + ".bn2", h, width, 3, stride, 1));
        h = Blocks.convBn(b, p + ".conv3", p + ".bn3", h, out, 1, 1, 0);
        Node shortcut = x;
        if (stride != 1 || Blocks.channels(x) != out) {
            shortcut = Blocks.convBn(b, p + ".downsample.0", p + ".downsample.1", x, out, 1, stride, 0);
        }
        return Blocks.relu(b, p + ".relu3", b.add(p + ".add", new Add(), h, shortcut));
    }
}
