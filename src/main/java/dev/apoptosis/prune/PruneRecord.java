package dev.apoptosis.prune;

import java.util.List;

/**
 * What one surgery removed: per group its name, channel count before and the removed root
 * channels, and the model's cost before and after. A run's records are its pruning history; the
 * {@code prune} command, reports and ONNX export carry them as provenance.
 */
public record PruneRecord(List<Removal> removals, ModelCost before, ModelCost after) {

    /** The channels removed from one group. */
    public record Removal(String group, int channelsBefore, int[] removed) {}

    public PruneRecord {
        removals = List.copyOf(removals);
    }

    public int channelsRemoved() {
        int n = 0;
        for (Removal r : removals) n += r.removed().length;
        return n;
    }

    /** One line of JSON (Jackson's form of this record), as run directories and checkpoint provenance store it. */
    public String toJson() {
        return RecordJson.write(this);
    }

    /** Reads what {@link #toJson} wrote. */
    public static PruneRecord fromJson(String json) {
        return RecordJson.read(json, PruneRecord.class);
    }
}
