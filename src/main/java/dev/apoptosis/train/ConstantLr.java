package dev.apoptosis.train;

/** The same learning rate at every step. */
public record ConstantLr(double lr) implements LrSchedule {
    public ConstantLr {
        LrChecks.rate("lr", lr);
    }

    @Override
    public double at(long step) {
        LrChecks.step(step);
        return lr;
    }
}
