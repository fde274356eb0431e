package dev.apoptosis.prune;

import dev.apoptosis.prune.channels.Dim;

/**
 * One place a group's channels live: an axis of a parameter or buffer ({@code tensor} is its local
 * name, e.g. "weight", "running_mean") or of a node's output activation ({@code tensor} null).
 * Removing root channel r of the group removes the indices {@link Group#indicesOf} gives along
 * {@code axis}: one index for a conv's output channels, a block of H·W for a Linear after a
 * Flatten, one index per head for a head-width group.
 *
 * @param node   node name
 * @param tensor parameter local name, or null for the node's output
 * @param axis   axis of that tensor (sample axis for an output: no batch axis)
 * @param size   the axis' length
 */
public record Member(String node, String tensor, int axis, int size, Dim dim) {

    public boolean isParameter() {
        return tensor != null;
    }

    /** "conv1.weight[0]" or "relu1:out[0]". */
    public String describe() {
        return tensor != null ? node + "." + tensor + "[" + axis + "]" : node + ":out[" + axis + "]";
    }

    @Override
    public String toString() {
        return describe();
    }
}
