package dev.apoptosis.train;

import java.util.Arrays;

/**
 * Step decay: lr·γ^k where k is the number of milestones ≤ step (PyTorch's MultiStepLR with
 * milestones counted in steps; epoch milestones m become m·stepsPerEpoch).
 */
public record MultiStepLr(double lr, long[] milestones, double gamma) implements LrSchedule {
    public MultiStepLr {
        LrChecks.rate("lr", lr);
        LrChecks.rate("gamma", gamma);
        milestones = milestones.clone();
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 0 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("milestones must be non-negative and strictly increasing, got "
                        + Arrays.toString(milestones));
            }
        }
    }

    @Override
    public double at(long step) {
        LrChecks.step(step);
        double r = lr;
        for (long m : milestones) if (step >= m) r *= gamma;
        return r;
    }

    @Override
    public long[] milestones() {
        return milestones.clone();
    }
}
