package dev.apoptosis.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * One layer of {@code layers.json}: a layer with weights (convolution, linear) in the model a prune
 * run started from and in the model it ended with, matched by node name: its output channels
 * (features for a linear layer), MACs per sample and parameters, before and after.
 */
public record LayerRow(String name, String kind, @JsonProperty("channels_before") int channelsBefore,
                       @JsonProperty("channels_after") int channelsAfter, @JsonProperty("macs_before") long macsBefore,
                       @JsonProperty("macs_after") long macsAfter, @JsonProperty("params_before") long paramsBefore,
                       @JsonProperty("params_after") long paramsAfter) {

    /** The rows of every parameter layer of {@code before}, in graph order; {@code after} must have each by name. */
    public static List<LayerRow> compare(Graph before, Graph after) {
        return compare(of(before), after);
    }

    /** Every parameter layer of {@code g}, in graph order, as if nothing were removed yet (after = before). */
    public static List<LayerRow> of(Graph g) {
        List<LayerRow> rows = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!n.op().has(OpProperty.PARAMETER_LAYER)) continue;
            rows.add(new LayerRow(n.name(), n.op().kind(), channels(n), channels(n), n.macs(), n.macs(), params(n), params(n)));
        }
        return rows;
    }

    /** {@code before}'s rows with the "after" figures taken from {@code after}, matched by layer name. */
    public static List<LayerRow> compare(List<LayerRow> before, Graph after) {
        List<LayerRow> rows = new ArrayList<>();
        for (LayerRow r : before) {
            Node m = after.node(r.name());
            rows.add(new LayerRow(r.name(), r.kind(), r.channelsBefore(), channels(m), r.macsBefore(), m.macs(), r.paramsBefore(), params(m)));
        }
        return rows;
    }

    /** The rows as one JSON array (how a pruned checkpoint keeps its starting model's layers for a resumed run). */
    public static String toJson(List<LayerRow> rows) {
        try {
            return RunJson.MAPPER.writeValueAsString(rows);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write layer rows as JSON", e);
        }
    }

    /** Reads {@link #toJson}'s output. */
    public static List<LayerRow> fromJson(String json) {
        try {
            return List.of(RunJson.MAPPER.readValue(json, LayerRow[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a list of layer rows: " + e.getOriginalMessage(), e);
        }
    }

    /** Output channels: the length of the weight's output-channel axis. */
    static int channels(Node n) {
        return dev.apoptosis.prune.LayerWidth.outputChannels(n);
    }

    /** Parameters the layer keeps (unstructured masks count only kept entries). */
    static long params(Node n) {
        long k = 0;
        for (Parameter p : n.params()) k += p.keptEntries();
        return k;
    }
}
