package dev.apoptosis.prune;

/**
 * One step of a pruning run, as the run directory's {@code steps.jsonl} and the checkpoint's
 * provenance record it: the MAC target of the step, what the model costs after it, how many
 * channels (or, unstructured, weights) went, and where the time went.
 */
public record StepRecord(int step, long targetMacs, long macs, long params, long keptParams, int removed,
                         double importanceSeconds, double selectionSeconds, double surgerySeconds) {

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a step record as JSON", e);
        }
    }

    public static StepRecord fromJson(String json) {
        try {
            return JSON.readValue(json, StepRecord.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a pruning step record: " + e.getOriginalMessage(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}
