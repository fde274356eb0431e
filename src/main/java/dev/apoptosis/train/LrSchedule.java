package dev.apoptosis.train;

/**
 * A learning rate as a function of the optimisation step (0 for the first batch of training).
 *
 * <p>Schedules are pure functions of the step, so a resumed run gets the same rates as an
 * uninterrupted one from the step count alone. Epoch-based schedules (milestones in epochs) are
 * expressed in steps with {@code stepsPerEpoch}; see {@link #create}.
 */
@FunctionalInterface
public interface LrSchedule {
    /** The learning rate for step {@code step} (≥ 0). */
    double at(long step);

    /** The schedule kinds the command line offers. */
    enum Kind {
        CONSTANT, MULTISTEP, COSINE;

        /** Parses a kind case-insensitively; an unknown name lists the valid ones. */
        public static Kind parse(String s) {
            for (Kind k : values()) if (k.name().equalsIgnoreCase(s)) return k;
            throw new IllegalArgumentException("unknown schedule '" + s + "'; expected one of constant, multistep, cosine");
        }
    }

    /**
     * Builds a schedule from epoch-level settings: {@code kind} at base rate {@code lr} over
     * {@code epochs} epochs of {@code stepsPerEpoch} steps, multistep {@code milestones} (epochs) and
     * {@code gamma}, cosine floor {@code minLr}, and a linear warm-up over {@code warmupEpochs}
     * (fractional allowed; 0 = none) composed on top.
     */
    static LrSchedule create(Kind kind, double lr, int epochs, int stepsPerEpoch, int[] milestones, double gamma,
                             double minLr, double warmupEpochs) {
        if (stepsPerEpoch < 1) throw new IllegalArgumentException("steps per epoch must be >= 1, got " + stepsPerEpoch);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        long total = (long) epochs * stepsPerEpoch;
        LrSchedule s = switch (kind) {
            case CONSTANT -> new ConstantLr(lr);
            case MULTISTEP -> {
                long[] steps = new long[milestones.length];
                for (int i = 0; i < steps.length; i++) steps[i] = (long) milestones[i] * stepsPerEpoch;
                yield new MultiStepLr(lr, steps, gamma);
            }
            case COSINE -> new CosineLr(lr, minLr, total);
        };
        long warm = Math.round(warmupEpochs * stepsPerEpoch);
        if (warmupEpochs < 0 || Double.isNaN(warmupEpochs)) throw new IllegalArgumentException("warm-up must be >= 0 epochs, got " + warmupEpochs);
        return warm > 0 ? new WarmupLr(s, warm) : s;
    }
}
