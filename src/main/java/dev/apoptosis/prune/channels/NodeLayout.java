package dev.apoptosis.prune.channels;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What channel analysis knows about one node: the {@link Dim} of each axis of its output sample
 * shape, the Dim of each axis of each of its parameters and buffers (null for axes no channel runs
 * along, such as a kernel's height), and the Dim its statistics run over if it normalises across
 * channels (LayerNorm: removing a channel changes the mean and variance the others see).
 */
public record NodeLayout(Dim[] output, Map<String, Dim[]> params, Dim statisticsOver, Dim groups) {
    public NodeLayout {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static NodeLayout of(Dim[] output) {
        return new NodeLayout(output, Map.of(), null, null);
    }

    public NodeLayout withParams(Map<String, Dim[]> p) {
        return new NodeLayout(output, p, statisticsOver, groups);
    }

    public NodeLayout withStatisticsOver(Dim d) {
        return new NodeLayout(output, params, d, groups);
    }

    /** For a grouped convolution: the Dim of its groups, which its input and output cuts share. */
    public NodeLayout withGroups(Dim g) {
        return new NodeLayout(output, params, statisticsOver, g);
    }

    public List<Dim> outputAxes() {
        return List.of(output);
    }
}
