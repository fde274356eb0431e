package dev.apoptosis.train;

import dev.apoptosis.checkpoint.EpochSoFar;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Tensor;

/**
 * Running classification metrics over batches: summed loss, top-1 and top-5 hits, sample count.
 *
 * <p>A sample is a top-k hit when fewer than k classes rank above its true class. Ranking is by
 * logit, ties broken by the lower class index (as a stable sort would), so the count is
 * deterministic. With fewer than k classes every sample is a top-k hit.
 *
 * <p>A row holding a NaN or an infinity cannot be ranked: every comparison with NaN is false, so it
 * would count as a hit (a model whose outputs are all NaN scored 100%). Such a row, or a loss that
 * is not finite, is a {@link NonFiniteException}, never a hit.
 */
public final class Accuracy {
    private long samples;
    private long top1;
    private long top5;
    private double lossSum;

    /** Adds a batch: logits [N, C], labels, and the batch's mean loss; refuses non-finite values (see above). */
    public void add(Tensor logits, int[] labels, double meanLoss) {
        Shapes.requireRank("Accuracy", "logits", logits, 2);
        int n = logits.dim(0), c = logits.dim(1);
        if (labels.length != n) throw new IllegalArgumentException("Accuracy: " + labels.length + " labels for " + n + " rows of logits");
        if (!Double.isFinite(meanLoss)) throw new NonFiniteException("the batch's loss is " + meanLoss);
        float[] d = logits.data();
        int off = logits.offset();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                float v = d[off + r * c + j];
                if (!Float.isFinite(v)) throw new NonFiniteException("output " + j + " of sample " + r + " of the batch is " + v);
            }
            int y = labels[r];
            if (y < 0 || y >= c) throw new IllegalArgumentException("Accuracy: label " + y + " outside [0, " + c + ")");
            float ly = d[off + r * c + y];
            int above = 0;
            for (int j = 0; j < c; j++) {
                float v = d[off + r * c + j];
                if (v > ly || (v == ly && j < y)) above++;
            }
            if (above < 1) top1++;
            if (above < 5) top5++;
        }
        samples += n;
        lossSum += meanLoss * n;
    }

    public long samples() {
        return samples;
    }

    /** Fraction of top-1 hits (0 before any sample). */
    public double top1() {
        return samples == 0 ? 0 : (double) top1 / samples;
    }

    public double top5() {
        return samples == 0 ? 0 : (double) top5 / samples;
    }

    /** Mean loss per sample. */
    public double loss() {
        return samples == 0 ? 0 : lossSum / samples;
    }

    public void reset() {
        samples = top1 = top5 = 0;
        lossSum = 0;
    }

    /** Running metrics that continue from an interrupted epoch's figures. */
    public static Accuracy resumed(EpochSoFar figures) {
        Accuracy a = new Accuracy();
        a.samples = figures.samples();
        a.top1 = figures.top1();
        a.top5 = figures.top5();
        a.lossSum = figures.lossSum();
        return a;
    }

    /** These figures, with {@code seconds} spent on them, to continue from after a restart. */
    public EpochSoFar soFar(double seconds) {
        return new EpochSoFar(samples, lossSum, top1, top5, seconds);
    }

    /** The current values as an immutable result. */
    public EvalResult result() {
        return new EvalResult(samples, loss(), top1(), top5());
    }
}
