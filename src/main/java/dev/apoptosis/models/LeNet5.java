package dev.apoptosis.models;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MaxPool2d;
import dev.apoptosis.graph.ops.ReLU;

/**
 * LeNet-5 (LeCun et al. 1998) in its modern form: ReLU and 2x2 max-pooling.
 * conv1 5x5 (6) → ReLU → pool → conv2 5x5 (16) → ReLU → pool → Flatten → fc1 120 → ReLU → fc2 84 →
 * ReLU → fc3 (classes). Inputs smaller than 32x32 (MNIST's 28x28) pad conv1 by 2, as the original
 * padded its digits to 32x32. Width w sets conv1 to w channels and conv2 to ⌈16w/6⌉ (default w = 6).
 * On 1x28x28 with 10 classes: 61,706 parameters, 416,520 MACs.
 */
final class LeNet5 {
    private LeNet5() {}

    static Graph build(ModelOptions o) {
        int[] in = o.inputOr(1, 28, 28);
        if (in.length != 3) throw new IllegalArgumentException("lenet5: input must be [C, H, W], got " + java.util.Arrays.toString(in));
        int c1 = o.widthOr(6), c2 = (16 * c1 + 5) / 6;
        int pad = Math.min(in[1], in[2]) < 32 ? 2 : 0;
        GraphBuilder b = new GraphBuilder("lenet5", o.seed());
        Node x = b.input("input", in);
        x = b.add("pool1", new MaxPool2d(2), b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(c1, 5, 1, pad, true), x)));
        x = b.add("pool2", new MaxPool2d(2), b.add("relu2", new ReLU(), b.add("conv2", Conv2d.of(c2, 5, 1, 0, true), x)));
        x = b.add("flatten", new Flatten(), x);
        x = b.add("relu3", new ReLU(), b.add("fc1", Linear.of(120), x));
        x = b.add("relu4", new ReLU(), b.add("fc2", Linear.of(84), x));
        return b.build(b.add("fc3", Linear.of(o.numClasses()), x));
    }
}
