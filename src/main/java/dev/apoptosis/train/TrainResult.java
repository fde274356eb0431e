package dev.apoptosis.train;

import java.nio.file.Path;

/**
 * What a finished run reports: epochs completed, the last epoch's training loss and accuracy, the
 * last test evaluation (null without a test set), wall time of this invocation, and the checkpoint file.
 */
public record TrainResult(int epochs, double trainLoss, double trainTop1, EvalResult test, double seconds, Path checkpoint) {}
