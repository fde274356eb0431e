package dev.apoptosis.train;

/**
 * Cosine annealing from {@code lr} at step 0 to {@code minLr} at step {@code totalSteps}, per step:
 * lr_t = min + (lr − min)·(1 + cos(π·t/T))/2; steps past T stay at {@code minLr}.
 */
public record CosineLr(double lr, double minLr, long totalSteps) implements LrSchedule {
    public CosineLr {
        LrChecks.rate("lr", lr);
        LrChecks.rate("minimum lr", minLr);
        if (minLr > lr) throw new IllegalArgumentException("cosine: minimum lr " + minLr + " exceeds lr " + lr);
        if (totalSteps < 1) throw new IllegalArgumentException("cosine: total steps must be >= 1, got " + totalSteps);
    }

    @Override
    public double at(long step) {
        LrChecks.step(step);
        if (step >= totalSteps) return minLr;
        return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
    }
}
