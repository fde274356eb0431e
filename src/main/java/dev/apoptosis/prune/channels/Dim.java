package dev.apoptosis.prune.channels;

import java.util.List;

/**
 * A dimension variable: the index space of one tensor axis (or of a factor of one), shared by every
 * axis that must keep the same indices. Channel analysis gives each axis of each activation and
 * parameter a Dim and then <em>unifies</em> the Dims that an op ties together: BatchNorm's output
 * channels are its input channels, both inputs of an Add share their channels, and so on. The
 * classes of unified Dims are the dependency groups.
 *
 * <p>An axis may also be made of several Dims: {@link Refinement#PRODUCT} (row-major factors, as when
 * a Reshape splits the token width D into heads × head width, or a Flatten turns [C, H, W] into
 * C·H·W features) or {@link Refinement#SUM} (consecutive ranges, as a Concat's output channels).
 * A Dim that is neither is a <em>leaf</em>; only leaves are pruned, and pruning index i of a leaf
 * removes every index of every axis whose layout contains it at coordinate i.
 *
 * <p>Union-find: only the class representative ({@link Dims#find}) holds the refinement, the pin
 * and the role; other members point to it.
 */
public final class Dim {
    /** What an index of this Dim stands for. Positions (pixels, tokens) are never pruned. */
    public enum Role { CHANNEL, POSITION }

    /** How a refined Dim is made of its parts. */
    public enum Refinement { PRODUCT, SUM }

    final int id;
    final int size;
    final String origin;
    Dim parent = this;
    Role role;
    boolean mixedRoles;
    Refinement refinement;
    List<Dim> parts;
    String pin;

    Dim(int id, int size, Role role, String origin) {
        this.id = id;
        this.size = size;
        this.role = role;
        this.origin = origin;
    }

    public int id() {
        return id;
    }

    /** Number of indices. */
    public int size() {
        return size;
    }

    /** Where the Dim was created, e.g. "layer1.0.conv1 output channels". */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "d" + id + "(" + size + ", " + origin + ")";
    }
}
