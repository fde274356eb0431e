package dev.apoptosis.report;

import dev.apoptosis.runs.FinetuneRecord;
import dev.apoptosis.runs.RunRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The evidence table: prune runs grouped into rows by what was compared (criterion, variant, kept
 * target, structured or not) with their seeds aggregated, so a table is rebuilt from run directories
 * and never typed by hand.
 *
 * <p><b>Variant.</b> A setting that differs between the runs given (an ablation such as
 * {@code noise_remedy=reference}, or {@code criterion_options=batchnorm=running}) names a variant;
 * its most common value is the baseline and is not named. The seed, criterion and targets are what
 * rows and aggregation are made of, so they never name a variant.
 *
 * <p><b>Spread.</b> With n seeds a cell reads {@code mean ± half-range (n)}: the half-range is the
 * honest spread of two or three runs (a standard deviation of two numbers says no more). A
 * difference between rows smaller than their spreads is no difference.
 *
 * <p><b>Wall time.</b> From {@code run.json}'s {@code created} to the last write of the run's
 * {@code finetune.jsonl}: the whole run (pruning, recalibration, fine-tuning, evaluations), and for a
 * run with several targets the time to its last one; an interruption's pause is included.
 */
public final class CriteriaTable {
    private static final List<String> CRITERIA_ORDER = List.of("magnitude", "taylor", "obd", "oba", "exact");
    /** Settings that make rows and seeds, never variants. */
    private static final Set<String> NOT_VARIANTS = Set.of("seed", "criterion", "target_macs", "keep", "data", "mode");

    /**
     * One row: the runs of one criterion and variant at one target.
     *
     * @param source     the dense model the runs started from (run.json's source)
     * @param structured false for unstructured (weight masks) runs, whose MACs are not lowered
     * @param seconds    wall time of each run (to its last fine-tuning record)
     */
    public record Row(String model, String source, boolean structured, String criterion, String variant, double target, List<Long> seeds,
                      List<Double> macsKept, List<Double> paramsKept, List<Double> top1Pruned, List<Double> top1Finetuned,
                      int finetuneEpochs, List<Double> seconds, double top1Dense) {
        /** The fraction the x axis of a chart shows: MACs kept for structured pruning, weights kept for unstructured. */
        public double keptFraction() {
            return mean(structured ? macsKept : paramsKept);
        }
    }

    private CriteriaTable() {}

    /** The rows of every finished target of every prune run given; training runs are skipped. */
    public static List<Row> rows(List<RunRecords> runs) {
        // Variants are told apart within the runs of one dense model and mode: an unstructured run's
        // other step count is its protocol, not a variant of the structured runs.
        Map<String, List<RunRecords>> groups = new LinkedHashMap<>();
        for (RunRecords r : runs) if (r.info().isPrune()) groups.computeIfAbsent(group(r), k -> new ArrayList<>()).add(r);
        Map<String, Map<String, String>> baselines = new HashMap<>();
        for (var e : groups.entrySet()) baselines.put(e.getKey(), baselines(e.getValue()));
        Map<String, Row> rows = new LinkedHashMap<>();
        for (RunRecords r : groups.values().stream().flatMap(List::stream).toList()) {
            var info = r.info();
            String variant = variant(info.settings(), baselines.get(group(r)));
            boolean structured = !"unstructured".equals(info.settings().get("mode"));
            long seed = Long.parseLong(info.settings().getOrDefault("seed", "0"));
            double secs = seconds(r);
            for (FinetuneRecord f : r.finetune()) {
                String key = info.model() + "|" + info.source() + "|" + structured + "|" + info.criterion() + "|" + variant + "|" + f.target();
                Row row = rows.computeIfAbsent(key, k -> new Row(info.model(), info.source(), structured, info.criterion(), variant, f.target(),
                        new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), f.epochs(),
                        new ArrayList<>(), info.top1Before()));
                if (row.finetuneEpochs() != f.epochs()) {
                    throw new IllegalArgumentException(r.dir() + ": fine-tuned " + f.epochs() + " epochs where the other seeds of "
                            + info.criterion() + " at " + f.target() + " had " + row.finetuneEpochs() + ": not one row");
                }
                row.seeds().add(seed);
                row.macsKept().add((double) f.macs() / info.macsBefore());
                row.paramsKept().add((double) f.params() / info.paramsBefore());
                row.top1Pruned().add(f.top1Pruned());
                row.top1Finetuned().add(f.top1Finetuned());
                row.seconds().add(secs);
            }
        }
        List<Row> out = new ArrayList<>(rows.values());
        out.sort(Comparator.comparing(Row::model).thenComparing(r -> String.valueOf(r.source())).thenComparing(r -> !r.structured()).thenComparing(r -> -r.target())
                .thenComparing(r -> r.variant().isEmpty() ? 0 : 1).thenComparing(Row::variant)
                .thenComparing(r -> CRITERIA_ORDER.indexOf(r.criterion())));
        return out;
    }

    /**
     * The Markdown tables of {@link #rows}: one per dense model and mode, the best mean of each
     * comparison in bold (after fine-tuning; straight after pruning for a table without fine-tuning,
     * such as the unstructured protocol's, which then also leaves out the MACs it does not lower).
     */
    public static String markdown(List<RunRecords> runs) {
        List<Row> rows = rows(runs);
        StringBuilder b = new StringBuilder();
        Map<String, List<Row>> tables = new LinkedHashMap<>();
        for (Row r : rows) tables.computeIfAbsent(r.model() + "|" + r.source() + "|" + r.structured(), k -> new ArrayList<>()).add(r);
        for (List<Row> t : tables.values()) {
            Row first = t.get(0);
            boolean tuned = t.stream().anyMatch(r -> r.finetuneEpochs() > 0);
            if (b.length() > 0) b.append('\n');
            b.append(String.format(Locale.ROOT, "%s from %s, %s (dense top-1 %s)%n%n", first.model(),
                    first.source() == null ? "?" : java.nio.file.Path.of(first.source()).getFileName(),
                    first.structured() ? "structured" : "unstructured", accuracy(first.top1Dense())));
            b.append(tuned ? "| criterion | variant | target | seeds | MACs kept | params kept | top-1 after pruning | after fine-tuning | epochs | wall time |\n"
                    + "|---|---|---:|---|---:|---:|---:|---:|---:|---:|\n"
                    : "| criterion | variant | kept | seeds | MACs kept | params kept | top-1 (no fine-tuning) | wall time of the run |\n"
                    + "|---|---|---:|---|---:|---:|---:|---:|\n");
            Map<String, Double> best = new HashMap<>();
            Map<String, Integer> size = new HashMap<>();
            for (Row r : t) {
                best.merge(cell(r), mean(tuned ? r.top1Finetuned() : r.top1Pruned()), Math::max);
                size.merge(cell(r), 1, Integer::sum);
            }
            for (Row r : t) {
                boolean bold = size.get(cell(r)) > 1 && mean(tuned ? r.top1Finetuned() : r.top1Pruned()) == best.get(cell(r));
                String pruned = spread(r.top1Pruned()), after = spread(r.top1Finetuned());
                b.append("| ").append(r.criterion()).append(" | ").append(r.variant()).append(" | ").append(fraction(r.target()))
                        .append(" | ").append(String.join(",", r.seeds().stream().map(String::valueOf).toList()))
                        .append(" | ").append(RunSummary.pct(mean(r.macsKept()))).append(" | ").append(RunSummary.pct(mean(r.paramsKept())))
                        .append(" | ");
                if (tuned) {
                    b.append(pruned).append(" | ").append(r.finetuneEpochs() == 0 ? "(none)" : bold ? "**" + after + "**" : after)
                            .append(" | ").append(r.finetuneEpochs());
                } else {
                    b.append(bold ? "**" + pruned + "**" : pruned);
                }
                b.append(" | ").append(duration(median(r.seconds()))).append(" |\n");
            }
        }
        return b.toString();
    }

    private static String group(RunRecords r) {
        return r.info().model() + "|" + r.info().source() + "|" + r.info().settings().get("mode");
    }

    /** The rows one comparison is made within: one dense model, mode, variant and target. */
    private static String cell(Row r) {
        return r.model() + "|" + r.source() + "|" + r.structured() + "|" + r.variant() + "|" + r.target();
    }

    /** The most common value of every setting that differs between the runs. */
    private static Map<String, String> baselines(List<RunRecords> runs) {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (RunRecords r : runs) {
            for (var e : r.info().settings().entrySet()) {
                counts.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).merge(e.getValue(), 1, Integer::sum);
            }
        }
        Map<String, String> base = new LinkedHashMap<>();
        for (var e : counts.entrySet()) {
            if (NOT_VARIANTS.contains(e.getKey())) continue;
            int total = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
            if (e.getValue().size() == 1 && total == runs.size()) continue;     // the same everywhere
            base.put(e.getKey(), e.getValue().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
        }
        return base;
    }

    private static String variant(Map<String, String> settings, Map<String, String> baseline) {
        List<String> parts = new ArrayList<>();
        for (var e : baseline.entrySet()) {
            String v = settings.getOrDefault(e.getKey(), "");
            if (!v.equals(e.getValue())) parts.add(e.getKey() + "=" + v);
        }
        return String.join(" ", parts);
    }

    /** Wall seconds from the run's start to its last fine-tuning record (NaN when unknown). */
    static double seconds(RunRecords r) {
        try {
            Instant start = Instant.parse(r.info().created());
            Instant end = Files.getLastModifiedTime(r.dir().resolve(dev.apoptosis.runs.RunDirectory.FINETUNE)).toInstant();
            return Duration.between(start, end).toMillis() / 1000.0;
        } catch (IOException | java.time.DateTimeException e) {
            return Double.NaN;
        }
    }

    static double mean(List<Double> v) {
        double s = 0;
        for (double x : v) s += x;
        return v.isEmpty() ? Double.NaN : s / v.size();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** {@code 81.20%}, or {@code 81.20% ± 0.35 (2)} over seeds: two decimals, since seed spreads are tenths of a point. */
    static String spread(List<Double> v) {
        if (v.size() == 1) return accuracy(v.get(0));
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return String.format(Locale.ROOT, "%s ± %.2f (%d)", accuracy(mean(v)), 100 * (hi - lo) / 2, v.size());
    }

    private static String accuracy(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : "–";
    }

    private static String fraction(double t) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * t);
    }

    static String duration(double s) {
        if (!Double.isFinite(s)) return "–";
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }
}
