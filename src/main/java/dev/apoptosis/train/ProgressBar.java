package dev.apoptosis.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress on stderr: epoch, batch/total, ETA of the epoch, images/s, running loss and
 * accuracy, learning rate.
 *
 * <p>On a terminal the line is redrawn in place (carriage return and erase-to-end-of-line), at most
 * ten times a second; otherwise (a log file, a pipe) a full line is printed every
 * {@code lineIntervalSeconds} so logs stay readable. Each epoch ends with one summary line either way.
 */
public final class ProgressBar implements TrainListener {
    /** How to display: redraw in place, periodic lines, or nothing but epoch summaries. */
    public enum Style { BAR, LINES, QUIET }

    private final PrintStream out;
    private final Style style;
    private final double lineIntervalSeconds;
    private final LongSupplier nanoTime;
    private long lastDraw = Long.MIN_VALUE;
    private boolean barDrawn;

    public ProgressBar(PrintStream out, Style style, double lineIntervalSeconds, LongSupplier nanoTime) {
        this.out = out;
        this.style = style;
        this.lineIntervalSeconds = lineIntervalSeconds;
        this.nanoTime = nanoTime;
    }

    /** BAR on an interactive terminal, LINES (every 30 s) otherwise, on stderr. */
    public static ProgressBar auto() {
        return new ProgressBar(System.err, System.console() != null ? Style.BAR : Style.LINES, 30, System::nanoTime);
    }

    @Override
    public void onStart(int startEpoch, int startBatch, int epochs, int batchesPerEpoch) {
        if (startEpoch > 0 || startBatch > 0) {
            out.printf(Locale.ROOT, "resuming at epoch %d/%d, batch %d/%d%n", startEpoch + 1, epochs, startBatch, batchesPerEpoch);
        }
        out.flush();
    }

    @Override
    public void onBatch(BatchEvent e) {
        if (style == Style.QUIET) return;
        long now = nanoTime.getAsLong();
        boolean last = e.batch() + 1 == e.batches();
        double interval = style == Style.BAR ? 0.1 : lineIntervalSeconds;
        if (!last && lastDraw != Long.MIN_VALUE && (now - lastDraw) / 1e9 < interval) return;
        if (style == Style.LINES && last) return; // the epoch summary follows at once
        lastDraw = now;
        String line = line(e);
        if (style == Style.BAR) {
            out.print("\r" + line + "\033[K");
            barDrawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The progress text for one step. */
    static String line(BatchEvent e) {
        int done = e.batch() + 1;
        double eta = e.timedBatches() > 0 ? (e.batches() - done) * e.seconds() / e.timedBatches() : 0;
        double ips = e.seconds() > 0 ? e.samples() / e.seconds() : 0;
        int width = 20, filled = (int) ((long) width * done / e.batches());
        String bar = "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "");
        return String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d  ETA %s  %.0f img/s  loss %.4f  acc %.2f%%  lr %.4g",
                e.epoch() + 1, e.epochs(), bar, done, e.batches(), clock(eta), ips, e.runningLoss(),
                100 * e.runningTop1(), e.lr());
    }

    @Override
    public void onEpoch(EpochEvent e) {
        if (barDrawn) {
            out.print("\r\033[K");
            barDrawn = false;
        }
        String test = e.test() == null ? "" : String.format(Locale.ROOT, "  test loss %.4f top-1 %.2f%% top-5 %.2f%%",
                e.test().loss(), 100 * e.test().top1(), 100 * e.test().top5());
        out.printf(Locale.ROOT, "epoch %d/%d done in %s: train loss %.4f acc %.2f%%%s  -> %s%n", e.epoch() + 1, e.epochs(),
                clock(e.seconds()), e.trainLoss(), 100 * e.trainTop1(), test, e.checkpoint());
        out.flush();
        lastDraw = Long.MIN_VALUE;
    }

    /** h:mm:ss or m:ss. */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        long h = s / 3600, m = (s / 60) % 60, sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
