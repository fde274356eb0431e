package dev.apoptosis.graph.ops;

/**
 * The convention for where channels live in a sample shape: axis 0 of an image [C,H,W], the last
 * axis of a feature vector [D] or token matrix [T,D].
 */
final class ChannelAxes {
    private ChannelAxes() {}

    static int natural(int[] sampleShape) {
        if (sampleShape.length == 0) return -1;
        return sampleShape.length == 3 ? 0 : sampleShape.length - 1;
    }
}
