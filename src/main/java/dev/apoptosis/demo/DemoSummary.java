package dev.apoptosis.demo;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The demo's closing summary: accuracies and costs per criterion, the speed-up, the ONNX check, where every file went. */
public final class DemoSummary {
    private DemoSummary() {}

    /** The table, timing, ONNX check and the list of files, as printed at the end of {@code ./apoptosis demo}. */
    public static String text(DemoResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n%-12s %11s %11s %11s %22s %22s%n", "", "top-1 dense", "pruned", "fine-tuned", "MACs kept",
                "parameters kept"));
        b.append(String.format(Locale.ROOT, "%-12s %10.1f%% %11s %11s %,14d (100%%) %,14d (100%%)%n", "dense", 100 * r.denseTop1(), "", "",
                r.denseMacs(), r.denseParams()));
        for (DemoResult.Pruned p : r.pruned()) {
            b.append(String.format(Locale.ROOT, "%-12s %11s %10.1f%% %10.1f%% %,14d (%4.1f%%) %,14d (%4.1f%%)%n", p.criterion(), "",
                    100 * p.top1Pruned(), 100 * p.top1Finetuned(), p.macs(), 100.0 * p.macs() / r.denseMacs(), p.params(),
                    100.0 * p.params() / r.denseParams()));
        }
        b.append('\n').append(timing(r)).append('\n');
        b.append(onnx(r)).append('\n');
        b.append(String.format(Locale.ROOT, "time: %.1f s wall, %.1f s CPU (all threads of this process)%n", r.wallSeconds(), r.cpuSeconds()));
        b.append("\nfiles:\n");
        for (Map.Entry<String, Path> e : r.files().entrySet()) {
            b.append(String.format(Locale.ROOT, "  %-38s %s%n", e.getKey(), e.getValue()));
        }
        b.append("\nopen ").append(r.out().resolve("report.html")).append(" in a browser; redraw it with: ./apoptosis report ");
        b.append(r.out().resolve("runs").resolve("*")).append('\n');
        return b.toString();
    }

    /** {@code summary.md}: the settings, the report's summary table, the timing and the ONNX check. */
    static String markdown(DemoResult r, String reportTable) {
        DemoSettings s = r.settings();
        return "# Apoptosis demo\n\n"
                + String.format(Locale.ROOT, "%s on the bundled 8x8 digits, seed %d: trained %d epochs, pruned to %.0f%% of the MACs in %d steps "
                        + "(%d calibration batches each) with %s, fine-tuned %d epochs.%n%n", Demo.MODEL, s.seed(), s.trainEpochs(),
                        100 * s.targetMacs(), s.pruneSteps(), s.calibBatches(), String.join(" and ", s.criteria()), s.finetuneEpochs())
                + reportTable + "\n" + timing(r) + "\n\n" + onnx(r) + "\n";
    }

    static String timing(DemoResult r) {
        InferenceTiming t = r.timing();
        return String.format(Locale.ROOT, "inference, batches of %d (median of %d passes each, alternated): dense %.2f ms, %s-pruned %.2f ms: "
                + "%.2fx faster", t.batch(), t.reps(), t.denseMs(), r.pruned().get(0).criterion(), t.prunedMs(), t.speedup());
    }

    static String onnx(DemoResult r) {
        return String.format(Locale.ROOT, "ONNX: %s read back with our importer, outputs on %d test images %s", r.onnx().file(),
                r.onnx().samples(), r.onnx().maxAbsDiff() == 0 ? "identical to the model's" : String.format(Locale.ROOT, "within %.2g of the model's",
                        r.onnx().maxAbsDiff()));
    }
}
