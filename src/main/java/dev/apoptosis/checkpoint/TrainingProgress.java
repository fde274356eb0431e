package dev.apoptosis.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a training run stands, so that it can be resumed: the next epoch and the next batch within
 * it to run (batch 0 after an end-of-epoch checkpoint), and the run's settings as text (the trainer's
 * configuration, so a resumed run uses the same schedule, batch size and seed).
 */
public record TrainingProgress(int epoch, int batch, Map<String, String> config) {
    public TrainingProgress {
        if (epoch < 0 || batch < 0) throw new IllegalArgumentException("training progress must be >= 0, got epoch " + epoch + " batch " + batch);
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }
}
