package dev.apoptosis.bench;

import dev.apoptosis.bench.ProfileBench.Profile;
import dev.apoptosis.bench.ProfileBench.Row;
import dev.apoptosis.bench.ProfileBench.RowKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints {@link ProfileBench} profiles: a text table (one profile, or 1 thread against N side by side)
 * or one JSON object per row and one for the step.
 */
public final class ProfileFormat {
    private ProfileFormat() {}

    /** A table of one profile: per row ms/step, % of the median step, rules per step, CPU ms. */
    public static String text(Profile p) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s  threads=%d  median of %d steps: %.2f ms wall, %s%n",
                ProfileBench.name(p), p.threads(), p.samples().size(), p.stepMs(), cpuText(p)));
        sb.append(String.format(Locale.ROOT, "%-16s %-18s %5s %10s %7s %10s%n", "kind", "phase", "nodes", "ms/step", "% step", "cpu ms"));
        for (Row r : p.rows()) {
            sb.append(String.format(Locale.ROOT, "%-16s %-18s %5s %10.2f %7.1f %10s%n", r.key().kind(), r.key().phase(),
                    r.nodes() == 0 ? "-" : Integer.toString(r.nodes()), r.ms(), 100 * r.ms() / p.stepMs(), cpu(p, r.cpuMs())));
        }
        sb.append(String.format(Locale.ROOT, "%-16s %-18s %5s %10.2f %7.1f %10s%n", "sum of rows", "", "", p.rowSumMs(),
                100 * p.rowSumMs() / p.stepMs(), cpu(p, p.rows().stream().mapToDouble(Row::cpuMs).sum())));
        sb.append(String.format(Locale.ROOT, "%-16s %-18s %5s %10.2f %7.1f %10s%n", "step (median)", "", "", p.stepMs(), 100.0,
                cpu(p, p.stepCpuMs())));
        return sb.toString();
    }

    /** 1 thread against N threads, row by row: ms at each, speed-up (ms@1 / ms@N), CPU ms at each. */
    public static String compareText(Profile one, Profile many) {
        int n = many.threads();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s  threads 1 vs %d, alternating, median of %d steps each%n",
                ProfileBench.name(one), n, one.samples().size()));
        sb.append(String.format(Locale.ROOT, "%-16s %-18s %5s %9s %9s %8s %7s %9s %9s%n", "kind", "phase", "nodes",
                "ms@1", "ms@" + n, "speedup", "%@" + n, "cpu@1", "cpu@" + n));
        for (Map.Entry<RowKey, Row[]> e : ProfileBench.join(one, many).entrySet()) {
            Row a = e.getValue()[0], b = e.getValue()[1];
            double ma = a == null ? 0 : a.ms(), mb = b == null ? 0 : b.ms();
            int nodes = a != null ? a.nodes() : b.nodes();
            sb.append(String.format(Locale.ROOT, "%-16s %-18s %5s %9.2f %9.2f %8s %7.1f %9s %9s%n", e.getKey().kind(), e.getKey().phase(),
                    nodes == 0 ? "-" : Integer.toString(nodes), ma, mb, speedup(ma, mb), 100 * mb / many.stepMs(),
                    cpu(one, a == null ? 0 : a.cpuMs()), cpu(many, b == null ? 0 : b.cpuMs())));
        }
        sb.append(String.format(Locale.ROOT, "%-16s %-18s %5s %9.2f %9.2f %8s %7.1f %9s %9s%n", "sum of rows", "", "",
                one.rowSumMs(), many.rowSumMs(), speedup(one.rowSumMs(), many.rowSumMs()), 100 * many.rowSumMs() / many.stepMs(),
                cpu(one, one.rows().stream().mapToDouble(Row::cpuMs).sum()), cpu(many, many.rows().stream().mapToDouble(Row::cpuMs).sum())));
        sb.append(String.format(Locale.ROOT, "%-16s %-18s %5s %9.2f %9.2f %8s %7.1f %9s %9s%n", "step (median)", "", "",
                one.stepMs(), many.stepMs(), speedup(one.stepMs(), many.stepMs()), 100.0, cpu(one, one.stepCpuMs()), cpu(many, many.stepCpuMs())));
        return sb.toString();
    }

    /** One JSON object per row, then one for the step ({@code "kind":"step"}), each on one line. */
    public static List<String> json(Profile p) {
        List<String> lines = new ArrayList<>();
        String head = String.format(Locale.ROOT, "{\"name\":\"%s\",\"threads\":%d,\"reps\":%d", ProfileBench.name(p), p.threads(), p.samples().size());
        for (Row r : p.rows()) {
            lines.add(head + String.format(Locale.ROOT, ",\"kind\":\"%s\",\"phase\":\"%s\",\"nodes\":%d,\"ms\":%.4f,\"pct\":%.2f,\"cpu_ms\":%s}",
                    r.key().kind(), r.key().phase(), r.nodes(), r.ms(), 100 * r.ms() / p.stepMs(), cpuJson(p, r.cpuMs())));
        }
        lines.add(head + String.format(Locale.ROOT, ",\"kind\":\"step\",\"ms\":%.4f,\"cpu_ms\":%s,\"sum_rows_ms\":%.4f}",
                p.stepMs(), cpuJson(p, p.stepCpuMs()), p.rowSumMs()));
        return lines;
    }

    private static String speedup(double a, double b) {
        return b > 0 ? String.format(Locale.ROOT, "%.2fx", a / b) : "-";
    }

    private static String cpuText(Profile p) {
        return p.cpuAvailable() ? String.format(Locale.ROOT, "%.2f ms CPU (caller + kernel threads)", p.stepCpuMs())
                : "thread CPU time not available";
    }

    private static String cpu(Profile p, double ms) {
        return p.cpuAvailable() ? String.format(Locale.ROOT, "%.2f", ms) : "-";
    }

    private static String cpuJson(Profile p, double ms) {
        return p.cpuAvailable() ? String.format(Locale.ROOT, "%.4f", ms) : "null";
    }
}
