package dev.apoptosis.prune;

import dev.apoptosis.prune.channels.ChannelAnalysis;
import dev.apoptosis.prune.channels.Dim;
import java.util.ArrayList;
import java.util.List;

/**
 * A dependency group: channels that can only be removed together, everywhere at once. Root channel
 * r of the group is index r of one leaf {@link Dim} class; each {@link Member} maps it to its own
 * indices. Examples: a conv's output channels with its BatchNorm's parameters and statistics and
 * the next conv's input channels; every conv output, BatchNorm and shortcut of a ResNet stage
 * (joined by the residual adds); the heads of an attention layer (rows of q, k, v and columns of
 * the output projection, a block of head-width per head).
 *
 * <p>A group is {@link #prunable()} unless the analysis could not follow one of its couplings (it
 * meets the model's input or output, an op without a channel rule, a Softmax axis, a reshape across
 * channels): then {@link #reason()} says which node and why. {@link #exact()} is false when a
 * normalisation takes statistics over its channels (LayerNorm), so removing channels changes the
 * others' values even when the removed ones carried zeros.
 */
public final class Group {
    /** How a group's channels sit in the parameter-layer rows it owns. */
    public enum Kind {
        /** One row per channel: ordinary channels and features. */
        CHANNELS,
        /** A contiguous block of rows per channel: attention heads, convolution groups. */
        BLOCKS,
        /** One row per block, repeated in every block: a head's width, channels per conv group. */
        STRIDED
    }

    private final ChannelAnalysis analysis;
    private final Dim leaf;
    private final int id;
    private final List<Member> members;
    private final List<Member> activations;
    private final String reason;
    private final List<String> statisticsCoupledBy;
    private final Kind kind;

    Group(ChannelAnalysis analysis, Dim leaf, int id, List<Member> members, List<Member> activations, String reason,
          List<String> statisticsCoupledBy, Kind kind) {
        this.analysis = analysis;
        this.leaf = leaf;
        this.id = id;
        this.members = List.copyOf(members);
        this.activations = List.copyOf(activations);
        this.reason = reason;
        this.statisticsCoupledBy = List.copyOf(statisticsCoupledBy);
        this.kind = kind;
    }

    /** Position in {@link DependencyGroups#groups()}: groups are numbered in the order their channels first appear. */
    public int id() {
        return id;
    }

    /** A readable name: the first parameter member, e.g. "layer1.0.conv1.weight[0]". */
    public String name() {
        return members.isEmpty() ? activations.get(0).describe() : members.get(0).describe();
    }

    public int channels() {
        return leaf.size();
    }

    /** Parameter and buffer axes that lose entries when a channel goes. */
    public List<Member> members() {
        return members;
    }

    /** Node output axes that carry the group's channels. */
    public List<Member> activations() {
        return activations;
    }

    public boolean prunable() {
        return reason == null;
    }

    /** Why the group cannot be pruned (node and coupling), or null. */
    public String reason() {
        return reason;
    }

    public boolean exact() {
        return statisticsCoupledBy.isEmpty();
    }

    /** Normalisation nodes whose statistics run over these channels (LayerNorm). */
    public List<String> statisticsCoupledBy() {
        return statisticsCoupledBy;
    }

    public Kind kind() {
        return kind;
    }

    ChannelAnalysis analysis() {
        return analysis;
    }

    Dim leaf() {
        return leaf;
    }

    /** The indices of {@code member}'s axis that belong to root channel {@code channel}, ascending. */
    public int[] indicesOf(Member member, int channel) {
        if (channel < 0 || channel >= channels()) {
            throw new IllegalArgumentException("group " + id + " has " + channels() + " channels, no channel " + channel);
        }
        boolean[] one = new boolean[channels()];
        one[channel] = true;
        boolean[] hit = analysis.dims().removedIndices(member.dim(), d -> analysis.dims().find(d) == leaf ? one : null);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < hit.length; i++) if (hit[i]) out.add(i);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** For every index of {@code member}'s axis, the root channel it belongs to (-1 for none). */
    public int[] channelOf(Member member) {
        return analysis.dims().coordinates(member.dim(), leaf);
    }

    @Override
    public String toString() {
        return "group " + id + " (" + name() + ", " + channels() + " channels" + (prunable() ? "" : ", unprunable: " + reason) + ")";
    }
}
