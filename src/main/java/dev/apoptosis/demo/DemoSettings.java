package dev.apoptosis.demo;

import java.util.List;

/**
 * Everything the demo does, in numbers. {@link #defaults} is what {@code ./apoptosis demo} runs:
 * chosen so the whole job (training, two prunings with fine-tuning, ONNX check, timing, report)
 * takes well under two minutes on two loaded cores (23.7 s wall measured at load average 5, README)
 * while the dense model reaches 100% on the 300 test digits (seed 0).
 * Tests run {@link #quick} settings of the same shape.
 *
 * @param trainEpochs     epochs of the dense model
 * @param pruneSteps      pruning steps to the target (importance re-estimated at each)
 * @param calibBatches    calibration batches per step
 * @param finetuneEpochs  fine-tuning epochs of each pruned model
 * @param timingReps      timed forward passes per model (after as many warm-up passes)
 */
public record DemoSettings(long seed, int width, int trainEpochs, int batch, double lr, List<String> criteria, double targetMacs,
                           int pruneSteps, int calibBatches, int finetuneEpochs, double finetuneLr, int timingBatch, int timingReps) {

    public DemoSettings {
        criteria = List.copyOf(criteria);
        if (criteria.isEmpty()) throw new IllegalArgumentException("the demo needs at least one criterion");
        if (!(targetMacs > 0 && targetMacs < 1)) throw new IllegalArgumentException("target MACs must be in (0, 1), got " + targetMacs);
    }

    /** The demo as {@code ./apoptosis demo --seed S} runs it. */
    public static DemoSettings defaults(long seed) {
        return new DemoSettings(seed, 16, 12, 32, 0.05, List.of("oba", "magnitude"), 0.5, 5, 8, 4, 0.01, 256, 30);
    }

    /** The same job, smaller (for tests): fewer epochs, steps, batches and timing passes. */
    public static DemoSettings quick(long seed) {
        return new DemoSettings(seed, 8, 3, 32, 0.05, List.of("oba", "magnitude"), 0.5, 2, 2, 1, 0.01, 64, 3);
    }
}
