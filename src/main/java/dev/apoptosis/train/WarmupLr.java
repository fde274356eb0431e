package dev.apoptosis.train;

/**
 * Linear warm-up composed with another schedule: during the first W steps the inner rate is scaled
 * by (t+1)/W, so step 0 trains at inner/W and step W−1 at the full inner rate; afterwards the inner
 * schedule applies unchanged (its own clock never pauses, so milestones and the cosine end stay put).
 */
public record WarmupLr(LrSchedule inner, long warmupSteps) implements LrSchedule {
    public WarmupLr {
        if (inner == null) throw new IllegalArgumentException("warm-up needs an inner schedule");
        if (warmupSteps < 1) throw new IllegalArgumentException("warm-up steps must be >= 1, got " + warmupSteps);
    }

    @Override
    public double at(long step) {
        LrChecks.step(step);
        double r = inner.at(step);
        return step < warmupSteps ? r * (step + 1) / warmupSteps : r;
    }
}
