package dev.apoptosis.runs;

import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.prune.PruneRecord;
import dev.apoptosis.prune.StepRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Run directories written with made-up figures, for tests of the reader and the report (no training needed). */
public final class RunFixtures {
    public static final long MACS = 600_000, PARAMS = 24_000;

    private RunFixtures() {}

    /**
     * A prune run of {@code criterion} to each of {@code targets} in {@code steps} steps; {@code stepsWritten} steps are recorded
     * (fewer than targets × steps: an interrupted run, without fine-tuning records or layers.json).
     */
    public static Path prune(Path dir, String criterion, List<Double> targets, int steps, int stepsWritten) throws IOException {
        RunDirectory d = RunDirectory.start(dir, new RunInfo(RunDirectory.FORMAT, "prune", "apoptosis test", "2026-01-01T00:00:00Z",
                "digits-cnn", "digits-bundled", criterion, Map.of("criterion", criterion, "note", "<b>&\"quoted\"</b>"), targets, steps,
                "dense.ckpt", "trained from scratch", MACS, PARAMS, 0.98));
        int written = 0;
        double from = 1;
        for (double t : targets) {
            for (int k = 1; k <= steps && written < stepsWritten; k++, written++) {
                double f = from * Math.pow(t / from, (double) k / steps);
                long macs = Math.round(MACS * f);
                d.appendStep(new StepRecord(k, macs, macs, PARAMS, Math.round(PARAMS * f), 3, 0, 0.2, 0.01, 0.005,
                        List.of(new PruneRecord.Removal("conv1", 16, new int[] {1, 2, 3}))));
            }
            if (written >= stepsWritten) break;
            from = t;
        }
        if (stepsWritten >= targets.size() * steps) {
            for (double t : targets) {
                double acc = "oba".equals(criterion) ? 0.97 - 0.1 * (1 - t) : 0.95 - 0.2 * (1 - t);
                d.appendFinetune(new FinetuneRecord(t, acc - 0.3, acc, 2, Math.round(MACS * t), Math.round(PARAMS * t)));
            }
            double last = targets.get(targets.size() - 1);
            d.writeLayers(List.of(new LayerRow("conv1", "Conv2d", 16, (int) Math.round(16 * last), 9216, Math.round(9216 * last), 160, 80),
                    new LayerRow("conv2", "Conv2d", 32, (int) Math.round(32 * last), 294912, Math.round(294912 * last), 4608, 2304),
                    new LayerRow("fc", "Linear", 10, 10, 640, 640, 650, 650)));
        }
        return dir;
    }

    /** A training run of {@code epochsWritten} of {@code epochs} epochs. */
    public static Path train(Path dir, int epochs, int epochsWritten) throws IOException {
        RunDirectory d = RunDirectory.start(dir, new RunInfo(RunDirectory.FORMAT, "train", "apoptosis test", "2026-01-01T00:00:00Z",
                "digits-cnn", "digits-bundled", null, Map.of("epochs", Integer.toString(epochs)), List.of(), 0, "model zoo", "", MACS, PARAMS,
                Double.NaN));
        for (int e = 1; e <= epochsWritten; e++) d.appendEpoch(new EpochRecord(e, 1.0 / e, 1 - 0.5 / e, 1.1 / e, 1 - 0.6 / e, 1, 0.5));
        return dir;
    }
}
