package dev.apoptosis.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training run stands, so that it can be resumed: the next epoch and the next batch within
 * it to run (batch 0 after an end-of-epoch checkpoint), the run's settings as text (the trainer's
 * configuration, so a resumed run uses the same schedule, batch size and seed), the running figures
 * of the epoch in progress ({@link EpochSoFar#NONE} at an epoch boundary) and the records of the
 * finished epochs: all of them, or the last ones when the run was resumed from a checkpoint of format
 * version 1, which kept none.
 */
public record TrainingProgress(int epoch, int batch, Map<String, String> config, EpochSoFar current,
                               List<EpochRecord> history) {
    public TrainingProgress {
        if (epoch < 0 || batch < 0) throw new IllegalArgumentException("training progress must be >= 0, got epoch " + epoch + " batch " + batch);
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        if (current == null) throw new IllegalArgumentException("the current epoch's figures are required (EpochSoFar.NONE at an epoch boundary)");
        if (batch == 0 && !current.equals(EpochSoFar.NONE)) {
            throw new IllegalArgumentException("at an epoch boundary (batch 0) the current epoch has no figures, got " + current);
        }
        history = List.copyOf(history);
        for (int i = 0; i < history.size(); i++) {
            int expected = epoch - history.size() + 1 + i;
            if (history.get(i).epoch() != expected) {
                throw new IllegalArgumentException("history must hold consecutive epochs up to the last finished one (" + epoch
                        + "); entry " + i + " is epoch " + history.get(i).epoch() + ", expected " + expected);
            }
        }
    }

    /**
     * Where the run stands, with epochs counted from 1 as the progress bar counts them: "after epoch 2"
     * at an epoch boundary, "in epoch 3 at batch 300" within one.
     */
    public String where() {
        return batch == 0 ? "after epoch " + epoch : "in epoch " + (epoch + 1) + " at batch " + batch;
    }

    /**
     * Progress without figures or history, as format version 1 stored it. A run resumed from a
     * version-1 mid-epoch checkpoint records that epoch's training figures over the resumed batches only.
     */
    public TrainingProgress(int epoch, int batch, Map<String, String> config) {
        this(epoch, batch, config, EpochSoFar.NONE, List.of());
    }
}
