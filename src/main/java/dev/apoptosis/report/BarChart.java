package dev.apoptosis.report;

import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Element;

/**
 * Horizontal grouped bars: one row per category (a layer), one bar per series in each row (the
 * model before pruning, then one per run), the value written at the bar's end. Each series is a
 * {@code <g class="series" data-series="NAME">}.
 */
final class BarChart {
    /** One set of bars, {@code values[i]} for category i (NaN: no bar). */
    record Series(String name, String color, double[] values) {}

    private static final int W = 720, LEFT = 130, RIGHT = 200, BAR = 12, GAP = 12, TOP = 10;

    private BarChart() {}

    static Element draw(String chart, String title, String valueLabel, List<String> categories, List<Series> series) {
        double max = 1;
        for (Series s : series) for (double v : s.values()) if (Double.isFinite(v)) max = Math.max(max, v);
        int rowH = BAR * series.size() + GAP;
        int h = TOP + rowH * categories.size() + 40;
        Axis x = Axis.nice(0, max, LEFT, W - RIGHT, Axis.number());
        Element svg = Svg.root(chart, W, h, title);
        Element grid = svg.appendElement("g").attr("class", "axes");
        for (double t : x.ticks()) {
            Svg.line(grid, x.px(t), TOP, x.px(t), h - 40, "grid");
            Svg.text(grid, x.px(t), h - 24, "middle", "tick", x.label(t));
        }
        Svg.text(grid, (LEFT + W - RIGHT) / 2.0, h - 6, "middle", "axis-label", valueLabel);
        for (int c = 0; c < categories.size(); c++) {
            Svg.text(grid, LEFT - 6, TOP + c * rowH + rowH / 2.0, "end", "tick", categories.get(c));
        }
        Svg.line(grid, LEFT, TOP, LEFT, h - 40, "axis");
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            Element g = svg.appendElement("g").attr("class", "series").attr("data-series", ser.name());
            for (int c = 0; c < categories.size(); c++) {
                double v = ser.values()[c];
                if (!Double.isFinite(v)) continue;
                double top = TOP + c * rowH + GAP / 2.0 + s * BAR;
                Element r = Svg.rect(g, LEFT, top, x.px(v) - LEFT, BAR - 2, ser.color());
                Svg.tip(r, categories.get(c) + ", " + ser.name() + ": " + fmt(v));
                Svg.text(g, x.px(v) + 4, top + BAR - 3, "start", "value", fmt(v));
            }
            double ly = TOP + 10 + 20 * s;
            Svg.rect(g, W - RIGHT + 14, ly - 7, 24, 10, ser.color());
            Svg.text(g, W - RIGHT + 44, ly + 3, "start", "legend", ser.name());
        }
        return svg;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
