package dev.apoptosis.prune;

/**
 * One step of a pruning run, as the run directory's {@code steps.jsonl} and the checkpoint's
 * provenance record it: the MAC target of the step, what the model costs after it, how many
 * channels (or, unstructured, weights) went and, structured, which (group and root channels, in
 * the numbering of the model the step started from), how many groups were scored at the noise floor (see
 * {@link ChannelScores.NoiseRemedy}), and where the time went.
 */
public record StepRecord(int step, long targetMacs, long macs, long params, long keptParams, int removed, int noiseGroups,
                         double importanceSeconds, double selectionSeconds, double surgerySeconds,
                         java.util.List<PruneRecord.Removal> removals) {

    public StepRecord {
        removals = removals == null ? java.util.List.of() : java.util.List.copyOf(removals);
    }

    public String toJson() {
        return RecordJson.write(this);
    }

    public static StepRecord fromJson(String json) {
        return RecordJson.read(json, StepRecord.class);
    }
}
