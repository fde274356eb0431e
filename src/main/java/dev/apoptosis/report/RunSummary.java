package dev.apoptosis.report;

import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.prune.StepRecord;
import dev.apoptosis.runs.FinetuneRecord;
import dev.apoptosis.runs.RunRecords;
import java.util.Locale;

/**
 * The headline figures of one run, derived once from its records for both the HTML report and the
 * Markdown summary: for a prune run, how far it got, the MACs and parameters it kept (after its last
 * recorded step) and its accuracy dense, straight after pruning and after fine-tuning (NaN where the
 * run has not got there); for a training run, its epochs and final test accuracy.
 */
record RunSummary(RunRecords run, String status, double macsKept, double paramsKept, double top1Dense, double top1Pruned,
                  double top1Finetuned, int finetuneEpochs, double seconds) {

    static RunSummary of(RunRecords r) {
        var info = r.info();
        if (info.isTrain()) {
            int done = r.epochs().size();
            String total = info.settings().getOrDefault("epochs", "?");
            double secs = 0, top1 = Double.NaN;
            for (EpochRecord e : r.epochs()) {
                secs += e.seconds();
                top1 = e.testTop1();
            }
            String status = r.interrupted() ? "interrupted after epoch " + done + " of " + total : done + (done == 1 ? " epoch" : " epochs");
            return new RunSummary(r, status, 1, 1, Double.NaN, Double.NaN, top1, done, secs);
        }
        int done = r.steps().size();
        StepRecord last = done == 0 ? null : r.steps().get(done - 1);
        double macs = last == null ? 1 : (double) last.macs() / info.macsBefore();
        double params = last == null ? 1 : (double) last.keptParams() / info.paramsBefore();
        double pruned = Double.NaN, tuned = Double.NaN;
        int epochs = 0;
        if (!r.finetune().isEmpty()) {
            FinetuneRecord f = r.finetune().get(r.finetune().size() - 1);
            pruned = f.top1Pruned();
            tuned = f.top1Finetuned();
            epochs = f.epochs();
        }
        double secs = 0;
        for (StepRecord s : r.steps()) secs += s.importanceSeconds() + s.selectionSeconds() + s.surgerySeconds();
        String status = r.interrupted()
                ? "interrupted after step " + done + " of " + info.expectedSteps()
                : done + (done == 1 ? " step" : " steps");
        return new RunSummary(r, status, macs, params, info.top1Before(), pruned, tuned, epochs, secs);
    }

    String targets() {
        return String.join(", ", run.info().targets().stream().map(t -> pct(t)).toList());
    }

    static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "–";
    }
}
