package dev.apoptosis.train;

import java.util.Locale;

/** Loss and accuracy over a set of samples: mean cross-entropy and top-1/top-5 fractions. */
public record EvalResult(long samples, double loss, double top1, double top5) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss %.4f  top-1 %.2f%%  top-5 %.2f%%  (%d samples)", loss, 100 * top1, 100 * top5, samples);
    }
}
