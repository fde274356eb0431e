/**
 * Importance criteria: how much the loss would change if a parameter were removed (set to zero),
 * estimated per parameter from calibration batches.
 *
 * <p>A {@link dev.apoptosis.importance.Criterion} turns one batch into one score per entry of every
 * parameter it scores and adds them into a {@link dev.apoptosis.importance.Scores}: float64 sums and
 * a batch count. Sums and counts add, so scores computed by several workers or machines merge by
 * addition ({@link dev.apoptosis.importance.Scores#merge}); nothing in a criterion depends on seeing
 * all batches in one process, and a batch's score is a function of the model, the batch and the
 * options alone (random probes are seeded from the batch's contents, not from a counter).
 *
 * <p>Criteria never change the model: no weight change, no BatchNorm running-statistics update, no
 * state kept between calls. Create them by name with
 * {@link dev.apoptosis.importance.Criteria#create}: {@code magnitude}, {@code taylor}, {@code obd},
 * {@code oba}, {@code exact}. Turning per-parameter scores into per-channel group scores and
 * selecting what to remove is the business of {@code dev.apoptosis.prune}.
 */
package dev.apoptosis.importance;
