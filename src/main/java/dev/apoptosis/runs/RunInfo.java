package dev.apoptosis.runs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code run.json}: what a run is, written once when it starts. {@code command} is {@code train} or
 * {@code prune}; a prune run also names its {@code criterion}, its MAC (or, unstructured, weight)
 * {@code targets} and the {@code steps} per target, so a reader can tell an interrupted run (fewer
 * step records than targets × steps) from a finished one. The "before" figures are the model the run
 * starts from: for a training run, the freshly initialised model (accuracy NaN).
 *
 * @param format     {@link RunDirectory#FORMAT}; a reader refuses any other
 * @param tool       the writing tool and version ({@code apoptosis 0.1.0-SNAPSHOT})
 * @param created    ISO-8601 instant the run started
 * @param source     what the run started from: a checkpoint path, or {@code model zoo} for training
 * @param provenance the starting checkpoint's provenance text (how it was made), or empty
 */
public record RunInfo(int format, String command, String tool, String created, String model, String data, String criterion,
                      Map<String, String> settings, List<Double> targets, int steps, String source, String provenance,
                      @JsonProperty("macs_before") long macsBefore, @JsonProperty("params_before") long paramsBefore,
                      @JsonProperty("top1_before") double top1Before) {

    public RunInfo {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    @JsonIgnore
    public boolean isPrune() {
        return "prune".equals(command);
    }

    @JsonIgnore
    public boolean isTrain() {
        return "train".equals(command);
    }

    /** Step records a finished prune run has written. */
    @JsonIgnore
    public int expectedSteps() {
        return targets.size() * steps;
    }
}
