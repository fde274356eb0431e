package dev.apoptosis.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * One linear chart axis: a data range widened to "nice" tick values (steps of 1, 2 or 5 times a
 * power of ten, about five of them), the map from data to pixels, and the label text of a tick.
 */
record Axis(double lo, double hi, double step, double pixelFrom, double pixelTo, DoubleFunction<String> format) {

    /** An axis covering [min, max] (widened if empty) from pixel {@code from} to pixel {@code to}. */
    static Axis nice(double min, double max, double from, double to, DoubleFunction<String> format) {
        if (!(max > min)) {
            double pad = Math.max(Math.abs(min) * 0.1, 1e-3);
            min -= pad;
            max += pad;
        }
        double raw = (max - min) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
        return new Axis(Math.floor(min / step) * step, Math.ceil(max / step) * step, step, from, to, format);
    }

    /** The same axis with fixed bounds (for example 0..1 for a fraction). */
    static Axis fixed(double lo, double hi, double step, double from, double to, DoubleFunction<String> format) {
        return new Axis(lo, hi, step, from, to, format);
    }

    double px(double v) {
        return pixelFrom + (v - lo) / (hi - lo) * (pixelTo - pixelFrom);
    }

    List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        for (int i = 0; lo + i * step <= hi + step * 1e-9; i++) t.add(lo + i * step);
        return t;
    }

    String label(double v) {
        return format.apply(v);
    }

    static DoubleFunction<String> percent() {
        return v -> String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    static DoubleFunction<String> number() {
        return v -> {
            double a = Math.abs(v);
            if (a == 0) return "0";
            if (a >= 1e6) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
            if (a >= 1e4) return String.format(Locale.ROOT, "%.0fk", v / 1e3);
            if (a >= 10 || v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
            return String.format(Locale.ROOT, "%.2g", v);
        };
    }
}
