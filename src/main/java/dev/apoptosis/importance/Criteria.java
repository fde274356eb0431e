package dev.apoptosis.importance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Creates criteria by name. The names, what each scores and the options each accepts:
 * <ul>
 * <li>{@code magnitude} ({@link MagnitudeCriterion}): norm;</li>
 * <li>{@code taylor} ({@link TaylorCriterion}): batchnorm, seed;</li>
 * <li>{@code obd} ({@link ObdCriterion}): probes, batchnorm, seed;</li>
 * <li>{@code oba} ({@link ObaCriterion}): delta0, self_unit_weight, other_unit_weight, batchnorm, seed;</li>
 * <li>{@code exact} ({@link ExactCriterion}): batchnorm, seed.</li>
 * </ul>
 * An option set explicitly for a criterion that does not use it is an error, not silently ignored.
 */
public final class Criteria {
    /** Every criterion name, in the order above. */
    public static final List<String> NAMES = List.of("magnitude", "taylor", "obd", "oba", "exact");

    private Criteria() {}

    /** The criterion called {@code name} with {@code options}; unknown names and inapplicable options are errors. */
    public static Criterion create(String name, CriterionOptions options) {
        if (options == null) throw new IllegalArgumentException("criterion '" + name + "': options are null (use CriterionOptions.defaults())");
        return switch (name) {
            case "magnitude" -> {
                accept(name, options, Set.of("norm"));
                yield new MagnitudeCriterion(options.norm());
            }
            case "taylor" -> {
                accept(name, options, Set.of("batchnorm", "seed"));
                yield new TaylorCriterion(options.batchNorm(), options.seed());
            }
            case "obd" -> {
                accept(name, options, Set.of("probes", "batchnorm", "seed"));
                yield new ObdCriterion(options.probes(), options.batchNorm(), options.seed());
            }
            case "oba" -> {
                accept(name, options, Set.of("delta0", "self_unit_weight", "other_unit_weight", "batchnorm", "seed"));
                yield new ObaCriterion(options.delta0(), options.selfUnitWeight(), options.otherUnitWeight(), options.batchNorm(),
                        options.seed());
            }
            case "exact" -> {
                accept(name, options, Set.of("batchnorm", "seed"));
                yield new ExactCriterion(options.batchNorm(), options.seed());
            }
            default -> throw new IllegalArgumentException("unknown criterion '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    /** The criterion called {@code name} with default options. */
    public static Criterion create(String name) {
        return create(name, CriterionOptions.defaults());
    }

    private static void accept(String name, CriterionOptions o, Set<String> accepted) {
        List<String> bad = new ArrayList<>();
        for (String k : o.given()) if (!accepted.contains(k)) bad.add(k);
        if (!bad.isEmpty()) {
            List<String> ok = new ArrayList<>();
            for (String k : CriterionOptions.KEYS) if (accepted.contains(k)) ok.add(k);
            throw new IllegalArgumentException("criterion '" + name + "' does not use option" + (bad.size() > 1 ? "s " : " ")
                    + String.join(", ", bad) + "; it takes: " + String.join(", ", ok));
        }
    }
}
