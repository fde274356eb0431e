package dev.apoptosis.report;

import dev.apoptosis.runs.RunRecords;
import java.util.List;

/** The report's summary as a Markdown table, one row per run (what {@code report} prints). */
public final class MarkdownSummary {
    private MarkdownSummary() {}

    public static String of(List<RunRecords> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| run | criterion | target MACs | status | MACs kept | params kept | top-1 dense | top-1 pruned | top-1 fine-tuned |\n");
        // A training run's final test accuracy is its (dense) model's: it goes under "top-1 dense".
        b.append("|---|---|---|---|---:|---:|---:|---:|---:|\n");
        for (RunRecords r : runs) {
            RunSummary s = RunSummary.of(r);
            var i = r.info();
            b.append("| ").append(cell(r.label())).append(" | ").append(i.isPrune() ? cell(i.criterion()) : "(training)").append(" | ")
                    .append(i.isPrune() ? s.targets() : "").append(" | ").append(cell(s.status())).append(" | ")
                    .append(i.isPrune() ? RunSummary.pct(s.macsKept()) : "").append(" | ")
                    .append(i.isPrune() ? RunSummary.pct(s.paramsKept()) : "").append(" | ")
                    .append(RunSummary.pct(i.isPrune() ? s.top1Dense() : s.top1Finetuned())).append(" | ")
                    .append(i.isPrune() ? RunSummary.pct(s.top1Pruned()) : "").append(" | ")
                    .append(i.isPrune() ? RunSummary.pct(s.top1Finetuned()) : "").append(" |\n");
        }
        return b.toString();
    }

    /** A table cell: Markdown's own table syntax characters in a value are escaped. */
    private static String cell(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
    }
}
