package dev.apoptosis.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of a training run. Error messages name the command-line option of the bad setting.
 * {@link #toMap}/{@link #fromMap} store the settings as text in a checkpoint, so a resumed run uses
 * exactly the same schedule, batch size and seed.
 *
 * @param epochs          number of epochs E (≥ 1)
 * @param batchSize       mini-batch size B
 * @param lr              base learning rate
 * @param momentum        SGD momentum μ
 * @param nesterov        Nesterov momentum
 * @param weightDecay     L2 weight decay λ
 * @param schedule        learning-rate schedule over the run
 * @param milestones      multistep: epochs at which the rate is multiplied by {@code gamma}
 * @param gamma           multistep decay factor
 * @param minLr           cosine: final rate
 * @param warmupEpochs    linear warm-up length in epochs (0 = none), composed with the schedule
 * @param seed            run seed: data order and augmentation (per epoch), Dropout (per step)
 * @param checkpointEvery also checkpoint every K batches within an epoch (0 = only at epoch ends)
 * @param labelSmoothing  cross-entropy label smoothing ε
 */
public record TrainConfig(int epochs, int batchSize, double lr, double momentum, boolean nesterov, double weightDecay,
                          LrSchedule.Kind schedule, int[] milestones, double gamma, double minLr, double warmupEpochs,
                          long seed, int checkpointEvery, double labelSmoothing) {

    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batchSize);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr must be a finite number > 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("--nesterov needs --momentum > 0");
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new IllegalArgumentException("--wd must be a finite number >= 0, got " + weightDecay);
        if (schedule == null) throw new IllegalArgumentException("--schedule is required");
        milestones = milestones == null ? new int[0] : milestones.clone();
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("--milestones must be positive, strictly increasing epochs, got " + Arrays.toString(milestones));
            }
        }
        if (schedule == LrSchedule.Kind.MULTISTEP && milestones.length == 0) {
            throw new IllegalArgumentException("--schedule multistep needs --milestones (e.g. --milestones 100,150)");
        }
        if (!(gamma > 0 && gamma <= 1)) throw new IllegalArgumentException("--gamma must be in (0, 1], got " + gamma);
        if (!(minLr >= 0 && minLr <= lr)) throw new IllegalArgumentException("--min-lr must be in [0, --lr], got " + minLr);
        if (!(warmupEpochs >= 0 && warmupEpochs <= epochs)) throw new IllegalArgumentException("--warmup must be in [0, --epochs] epochs, got " + warmupEpochs);
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0 batches, got " + checkpointEvery);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new IllegalArgumentException("--label-smoothing must be in [0, 1), got " + labelSmoothing);
    }

    /** Sensible defaults for a small CNN: 10 epochs, batch 128, lr 0.1, momentum 0.9, wd 5e-4, cosine, seed 0. */
    public static TrainConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}; {@link Builder#build} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings, to derive a variant (e.g. a fine-tuning run's). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.lr = lr;
        b.momentum = momentum;
        b.nesterov = nesterov;
        b.weightDecay = weightDecay;
        b.schedule = schedule;
        b.milestones = milestones.clone();
        b.gamma = gamma;
        b.minLr = minLr;
        b.warmupEpochs = warmupEpochs;
        b.seed = seed;
        b.checkpointEvery = checkpointEvery;
        b.labelSmoothing = labelSmoothing;
        return b;
    }

    /** Named settings for Java callers; each method's meaning is the record component of the same name. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 128;
        private double lr = 0.1;
        private double momentum = 0.9;
        private boolean nesterov;
        private double weightDecay = 5e-4;
        private LrSchedule.Kind schedule = LrSchedule.Kind.COSINE;
        private int[] milestones = new int[0];
        private double gamma = 0.1;
        private double minLr;
        private double warmupEpochs;
        private long seed;
        private int checkpointEvery;
        private double labelSmoothing;

        private Builder() {}

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder schedule(LrSchedule.Kind v) { schedule = v; return this; }
        /** Multistep milestones; also selects {@link LrSchedule.Kind#MULTISTEP}. */
        public Builder multistep(double gamma, int... milestones) {
            this.schedule = LrSchedule.Kind.MULTISTEP;
            this.gamma = gamma;
            this.milestones = milestones.clone();
            return this;
        }
        public Builder minLr(double v) { minLr = v; return this; }
        public Builder warmupEpochs(double v) { warmupEpochs = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }

        /** The settings, validated: a bad one is an {@link IllegalArgumentException} naming its option. */
        public TrainConfig build() {
            return new TrainConfig(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, milestones, gamma, minLr,
                    warmupEpochs, seed, checkpointEvery, labelSmoothing);
        }
    }

    @Override
    public int[] milestones() {
        return milestones.clone();
    }

    public SgdConfig sgd() {
        return new SgdConfig(momentum, weightDecay, nesterov);
    }

    /** The learning-rate schedule for {@code stepsPerEpoch} optimiser steps per epoch. */
    public LrSchedule lrSchedule(int stepsPerEpoch) {
        return LrSchedule.create(schedule, lr, epochs, stepsPerEpoch, milestones, gamma, minLr, warmupEpochs);
    }

    /** The settings as text, keyed by command-line option name (without dashes). Doubles keep every bit. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("batch", Integer.toString(batchSize));
        m.put("lr", Double.toString(lr));
        m.put("momentum", Double.toString(momentum));
        m.put("nesterov", Boolean.toString(nesterov));
        m.put("wd", Double.toString(weightDecay));
        m.put("schedule", schedule.name().toLowerCase(Locale.ROOT));
        StringBuilder ms = new StringBuilder();
        for (int x : milestones) ms.append(ms.length() > 0 ? "," : "").append(x);
        m.put("milestones", ms.toString());
        m.put("gamma", Double.toString(gamma));
        m.put("min-lr", Double.toString(minLr));
        m.put("warmup", Double.toString(warmupEpochs));
        m.put("seed", Long.toString(seed));
        m.put("checkpoint-every", Integer.toString(checkpointEvery));
        m.put("label-smoothing", Double.toString(labelSmoothing));
        return m;
    }

    /** Parses {@link #toMap}'s output; a missing or malformed entry is an error naming it. */
    public static TrainConfig fromMap(Map<String, String> m) {
        String ms = get(m, "milestones");
        int[] milestones = ms.isEmpty() ? new int[0] : Arrays.stream(ms.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        try {
            return new TrainConfig(Integer.parseInt(get(m, "epochs")), Integer.parseInt(get(m, "batch")),
                    Double.parseDouble(get(m, "lr")), Double.parseDouble(get(m, "momentum")),
                    Boolean.parseBoolean(get(m, "nesterov")), Double.parseDouble(get(m, "wd")),
                    LrSchedule.Kind.parse(get(m, "schedule")), milestones, Double.parseDouble(get(m, "gamma")),
                    Double.parseDouble(get(m, "min-lr")), Double.parseDouble(get(m, "warmup")),
                    Long.parseLong(get(m, "seed")), Integer.parseInt(get(m, "checkpoint-every")),
                    Double.parseDouble(get(m, "label-smoothing")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stored training settings are malformed: " + e.getMessage(), e);
        }
    }

    private static String get(Map<String, String> m, String k) {
        String v = m.get(k);
        if (v == null) throw new IllegalArgumentException("stored training settings lack '" + k + "'");
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig c && toMap().equals(c.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "TrainConfig" + toMap();
    }
}
