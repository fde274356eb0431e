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

    /**
     * A table of one profile: per row ms/step, % of the median step, rules per step, CPU ms and the
     * kernel workers' share of that CPU time ("wrk %": (N-1)/N for work split perfectly over N threads).
     */
    public static String text(Profile p) {
        int w = labelWidth(p);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s  threads=%d  median of %d steps: %.2f ms wall, %s%n",
                ProfileBench.name(p), p.threads(), p.samples().size(), p.stepMs(), cpuText(p)));
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %-18s %5s %10s %7s %10s %6s%n", "kind", "phase", "nodes", "ms/step", "% step",
                "cpu ms", "wrk %"));
        for (Row r : p.rows()) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s %-18s %5s %10.2f %7.1f %10s %6s%n", r.key().kind(), r.key().phase(),
                    r.nodes() == 0 ? "-" : Integer.toString(r.nodes()), r.ms(), 100 * r.ms() / p.stepMs(), cpu(p, r.cpuMs()),
                    share(p, r.workerCpuMs(), r.cpuMs())));
        }
        double cpuSum = p.rows().stream().mapToDouble(Row::cpuMs).sum();
        double wrkSum = p.rows().stream().mapToDouble(Row::workerCpuMs).sum();
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %-18s %5s %10.2f %7.1f %10s %6s%n", "sum of rows", "", "", p.rowSumMs(),
                100 * p.rowSumMs() / p.stepMs(), cpu(p, cpuSum), share(p, wrkSum, cpuSum)));
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %-18s %5s %10.2f %7.1f %10s %6s%n", "step (median)", "", "", p.stepMs(), 100.0,
                cpu(p, p.stepCpuMs()), share(p, p.stepWorkerCpuMs(), p.stepCpuMs())));
        return sb.toString();
    }

    /** Width of the first column: 16, or the longest row label (node names with {@code --by-node}). */
    private static int labelWidth(Profile p) {
        int w = 16;
        for (Row r : p.rows()) w = Math.max(w, r.key().kind().length());
        return w;
    }

    /** 1 thread against N threads, row by row: ms at each, speed-up (ms@1 / ms@N), CPU ms at each. */
    public static String compareText(Profile one, Profile many) {
        int n = many.threads();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s  threads 1 vs %d, alternating, median of %d steps each%n",
                ProfileBench.name(one), n, one.samples().size()));
        String fmt = "%-" + labelWidth(one) + "s %-18s %5s %9s %9s %8s %7s %9s %9s %7s%n";
        sb.append(String.format(Locale.ROOT, fmt, "kind", "phase", "nodes",
                "ms@1", "ms@" + n, "speedup", "%@" + n, "cpu@1", "cpu@" + n, "wrk%@" + n));
        for (Map.Entry<RowKey, Row[]> e : ProfileBench.join(one, many).entrySet()) {
            Row a = e.getValue()[0], b = e.getValue()[1];
            double ma = a == null ? 0 : a.ms(), mb = b == null ? 0 : b.ms();
            int nodes = a != null ? a.nodes() : b.nodes();
            sb.append(String.format(Locale.ROOT, fmt, e.getKey().kind(), e.getKey().phase(),
                    nodes == 0 ? "-" : Integer.toString(nodes), ms(ma), ms(mb), speedup(ma, mb), pct(mb, many.stepMs()),
                    cpu(one, a == null ? 0 : a.cpuMs()), cpu(many, b == null ? 0 : b.cpuMs()),
                    b == null ? "-" : share(many, b.workerCpuMs(), b.cpuMs())));
        }
        double cpuMany = many.rows().stream().mapToDouble(Row::cpuMs).sum();
        sb.append(String.format(Locale.ROOT, fmt, "sum of rows", "", "",
                ms(one.rowSumMs()), ms(many.rowSumMs()), speedup(one.rowSumMs(), many.rowSumMs()), pct(many.rowSumMs(), many.stepMs()),
                cpu(one, one.rows().stream().mapToDouble(Row::cpuMs).sum()), cpu(many, cpuMany),
                share(many, many.rows().stream().mapToDouble(Row::workerCpuMs).sum(), cpuMany)));
        sb.append(String.format(Locale.ROOT, fmt, "step (median)", "", "",
                ms(one.stepMs()), ms(many.stepMs()), speedup(one.stepMs(), many.stepMs()), "100.0", cpu(one, one.stepCpuMs()),
                cpu(many, many.stepCpuMs()), share(many, many.stepWorkerCpuMs(), many.stepCpuMs())));
        return sb.toString();
    }

    /** One JSON object per row, then one for the step ({@code "kind":"step"}), each on one line. */
    public static List<String> json(Profile p) {
        List<String> lines = new ArrayList<>();
        String head = String.format(Locale.ROOT, "{\"name\":\"%s\",\"threads\":%d,\"reps\":%d", ProfileBench.name(p), p.threads(), p.samples().size());
        for (Row r : p.rows()) {
            lines.add(head + String.format(Locale.ROOT,
                    ",\"kind\":\"%s\",\"phase\":\"%s\",\"nodes\":%d,\"ms\":%.4f,\"pct\":%.2f,\"cpu_ms\":%s,\"worker_cpu_ms\":%s}",
                    r.key().kind(), r.key().phase(), r.nodes(), r.ms(), 100 * r.ms() / p.stepMs(), cpuJson(p, r.cpuMs()),
                    cpuJson(p, r.workerCpuMs())));
        }
        lines.add(head + String.format(Locale.ROOT, ",\"kind\":\"step\",\"ms\":%.4f,\"cpu_ms\":%s,\"worker_cpu_ms\":%s,\"sum_rows_ms\":%.4f}",
                p.stepMs(), cpuJson(p, p.stepCpuMs()), cpuJson(p, p.stepWorkerCpuMs()), p.rowSumMs()));
        return lines;
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double part, double whole) {
        return String.format(Locale.ROOT, "%.1f", 100 * part / whole);
    }

    /** {@code part} as a percentage of {@code whole} CPU time, or "-" if unmeasured or too small to mean anything. */
    private static String share(Profile p, double part, double whole) {
        return p.cpuAvailable() && whole > 0.005 ? String.format(Locale.ROOT, "%.0f", 100 * part / whole) : "-";
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
