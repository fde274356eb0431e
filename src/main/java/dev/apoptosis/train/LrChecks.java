package dev.apoptosis.train;

/** Argument checks shared by the schedules. */
final class LrChecks {
    private LrChecks() {}

    static void rate(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v);
    }

    static void step(long step) {
        if (step < 0) throw new IllegalArgumentException("schedule step must be >= 0, got " + step);
    }
}
