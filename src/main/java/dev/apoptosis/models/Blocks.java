package dev.apoptosis.models;

import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.ReLU;

/** Small building blocks shared by the convolutional models. Convolutions before a BatchNorm have no bias. */
final class Blocks {
    private Blocks() {}

    /** conv (k×k, no bias) → BatchNorm, named {@code conv} and {@code bn}. */
    static Node convBn(GraphBuilder b, String conv, String bn, Node x, int out, int k, int stride, int pad) {
        return b.add(bn, new BatchNorm2d(), b.add(conv, Conv2d.of(out, k, stride, pad, false), x));
    }

    static Node relu(GraphBuilder b, String name, Node x) {
        return b.add(name, new ReLU(), x);
    }

    /** Channels of an image node's output [C, H, W]. */
    static int channels(Node x) {
        return x.outputShape()[0];
    }

    static void requireImage(String model, int[] in) {
        if (in.length != 3) throw new IllegalArgumentException(model + ": input must be [C, H, W], got " + java.util.Arrays.toString(in));
    }
}
