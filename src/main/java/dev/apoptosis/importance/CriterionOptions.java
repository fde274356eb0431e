package dev.apoptosis.importance;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of a criterion, built with {@link #builder()} or parsed from {@code key=value} text
 * ({@link Builder#set}). Each criterion accepts only the options that mean something to it, and
 * {@link Criteria#create} refuses an option given explicitly to a criterion that would ignore it.
 *
 * <table>
 * <caption>Options</caption>
 * <tr><th>key</th><th>criteria</th><th>default</th><th>meaning</th></tr>
 * <tr><td>norm</td><td>magnitude</td><td>1</td><td>1: |θ|; 2: θ²</td></tr>
 * <tr><td>delta0</td><td>oba</td><td>0</td><td>weight δ₀ of the first-order term δ₀·θ·g added to OBA</td></tr>
 * <tr><td>self_unit_weight</td><td>oba</td><td>false</td><td>multiply by sign(θ_i) instead of θ_i (reference §3.5)</td></tr>
 * <tr><td>other_unit_weight</td><td>oba</td><td>false</td><td>direction v_j = sign(θ_j) instead of θ_j (reference §3.5)</td></tr>
 * <tr><td>probes</td><td>obd</td><td>1</td><td>Hutchinson probes per batch</td></tr>
 * <tr><td>seed</td><td>obd, taylor, oba, exact</td><td>0</td><td>mixed with each batch's contents to seed probes and Dropout</td></tr>
 * <tr><td>batchnorm</td><td>taylor, obd, oba, exact</td><td>batch</td><td>BatchNorm statistics: batch or running ({@link BatchNormStatistics})</td></tr>
 * </table>
 */
public final class CriterionOptions {
    /** Every option key, in the order of the table above. */
    public static final List<String> KEYS = List.of("norm", "delta0", "self_unit_weight", "other_unit_weight", "probes", "seed",
            "batchnorm");

    private final int norm;
    private final double delta0;
    private final boolean selfUnitWeight;
    private final boolean otherUnitWeight;
    private final int probes;
    private final long seed;
    private final BatchNormStatistics batchNorm;
    private final Set<String> given;

    private CriterionOptions(Builder b) {
        norm = b.norm;
        delta0 = b.delta0;
        selfUnitWeight = b.selfUnitWeight;
        otherUnitWeight = b.otherUnitWeight;
        probes = b.probes;
        seed = b.seed;
        batchNorm = b.batchNorm;
        given = Collections.unmodifiableSet(new LinkedHashSet<>(b.given));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every option at its default. */
    public static CriterionOptions defaults() {
        return builder().build();
    }

    public int norm() {
        return norm;
    }

    public double delta0() {
        return delta0;
    }

    public boolean selfUnitWeight() {
        return selfUnitWeight;
    }

    public boolean otherUnitWeight() {
        return otherUnitWeight;
    }

    public int probes() {
        return probes;
    }

    public long seed() {
        return seed;
    }

    public BatchNormStatistics batchNorm() {
        return batchNorm;
    }

    /** The keys set explicitly (through the builder or {@link Builder#set}), in the order they were set. */
    public Set<String> given() {
        return given;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "norm=%d delta0=%s self_unit_weight=%b other_unit_weight=%b probes=%d seed=%d batchnorm=%s",
                norm, delta0, selfUnitWeight, otherUnitWeight, probes, seed, batchNorm.name().toLowerCase(Locale.ROOT));
    }

    /** Builds options; each setter checks its value at once. */
    public static final class Builder {
        private int norm = 1;
        private double delta0 = 0;
        private boolean selfUnitWeight;
        private boolean otherUnitWeight;
        private int probes = 1;
        private long seed;
        private BatchNormStatistics batchNorm = BatchNormStatistics.BATCH;
        private final Set<String> given = new LinkedHashSet<>();

        private Builder() {}

        /** 1 for |θ|, 2 for θ². */
        public Builder norm(int p) {
            if (p != 1 && p != 2) throw new IllegalArgumentException("criterion option norm must be 1 or 2, got " + p);
            norm = p;
            given.add("norm");
            return this;
        }

        /** The weight δ₀ of OBA's first-order term (finite). */
        public Builder delta0(double d) {
            if (!Double.isFinite(d)) throw new IllegalArgumentException("criterion option delta0 must be finite, got " + d);
            delta0 = d;
            given.add("delta0");
            return this;
        }

        public Builder selfUnitWeight(boolean b) {
            selfUnitWeight = b;
            given.add("self_unit_weight");
            return this;
        }

        public Builder otherUnitWeight(boolean b) {
            otherUnitWeight = b;
            given.add("other_unit_weight");
            return this;
        }

        /** Hutchinson probes per batch (at least 1). */
        public Builder probes(int n) {
            if (n < 1) throw new IllegalArgumentException("criterion option probes must be at least 1, got " + n);
            probes = n;
            given.add("probes");
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            given.add("seed");
            return this;
        }

        public Builder batchNorm(BatchNormStatistics s) {
            if (s == null) throw new IllegalArgumentException("criterion option batchnorm must be batch or running, got null");
            batchNorm = s;
            given.add("batchnorm");
            return this;
        }

        /** Sets an option from text, e.g. {@code set("probes", "4")}; an unknown key or a bad value is an error naming both. */
        public Builder set(String key, String value) {
            String v = value.trim();
            try {
                switch (key) {
                    case "norm" -> norm(Integer.parseInt(v));
                    case "delta0" -> delta0(Double.parseDouble(v));
                    case "self_unit_weight" -> selfUnitWeight(bool(key, v));
                    case "other_unit_weight" -> otherUnitWeight(bool(key, v));
                    case "probes" -> probes(Integer.parseInt(v));
                    case "seed" -> seed(Long.parseLong(v));
                    case "batchnorm" -> batchNorm(switch (v.toLowerCase(Locale.ROOT)) {
                        case "batch" -> BatchNormStatistics.BATCH;
                        case "running" -> BatchNormStatistics.RUNNING;
                        default -> throw new IllegalArgumentException("criterion option batchnorm must be batch or running, got '" + value + "'");
                    });
                    default -> throw new IllegalArgumentException("unknown criterion option '" + key + "'; known: " + String.join(", ", KEYS));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("criterion option " + key + ": '" + value + "' is not a number", e);
            }
            return this;
        }

        /** Sets an option from {@code key=value} text. */
        public Builder set(String keyEqualsValue) {
            int eq = keyEqualsValue.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("criterion option '" + keyEqualsValue + "' is not of the form key=value");
            return set(keyEqualsValue.substring(0, eq).trim(), keyEqualsValue.substring(eq + 1));
        }

        private static boolean bool(String key, String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("criterion option " + key + " must be true or false, got '" + v + "'");
            };
        }

        public CriterionOptions build() {
            return new CriterionOptions(this);
        }
    }
}
