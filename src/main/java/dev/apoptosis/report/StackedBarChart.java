package dev.apoptosis.report;

import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Element;

/**
 * Horizontal stacked bars: one bar per row (a run), split into parts (phases of its time); each
 * part is a {@code <g class="part" data-part="NAME">} with a legend entry.
 */
final class StackedBarChart {
    private static final int W = 720, LEFT = 190, RIGHT = 150, BAR = 22, GAP = 14, TOP = 10;

    private StackedBarChart() {}

    /** {@code values[row][part]}, in seconds. */
    static Element draw(String chart, String title, String valueLabel, List<String> rows, List<String> parts, List<String> colors,
                        double[][] values) {
        double max = 1e-9;
        for (double[] r : values) {
            double t = 0;
            for (double v : r) t += v;
            max = Math.max(max, t);
        }
        int h = TOP + (BAR + GAP) * rows.size() + 40;
        Axis x = Axis.nice(0, max, LEFT, W - RIGHT, Axis.number());
        Element svg = Svg.root(chart, W, h, title);
        Element grid = svg.appendElement("g").attr("class", "axes");
        for (double t : x.ticks()) {
            Svg.line(grid, x.px(t), TOP, x.px(t), h - 40, "grid");
            Svg.text(grid, x.px(t), h - 24, "middle", "tick", x.label(t));
        }
        Svg.text(grid, (LEFT + W - RIGHT) / 2.0, h - 6, "middle", "axis-label", valueLabel);
        for (int r = 0; r < rows.size(); r++) Svg.text(grid, LEFT - 6, TOP + r * (BAR + GAP) + BAR / 2.0 + 4, "end", "tick", rows.get(r));
        for (int p = 0; p < parts.size(); p++) {
            Element g = svg.appendElement("g").attr("class", "part").attr("data-part", parts.get(p));
            for (int r = 0; r < rows.size(); r++) {
                double start = 0;
                for (int q = 0; q < p; q++) start += values[r][q];
                double v = values[r][p];
                Element rect = Svg.rect(g, x.px(start), TOP + r * (BAR + GAP), x.px(start + v) - x.px(start), BAR, colors.get(p));
                Svg.tip(rect, rows.get(r) + ", " + parts.get(p) + ": " + String.format(Locale.ROOT, "%.3f s", v));
            }
            double ly = TOP + 10 + 20 * p;
            Svg.rect(g, W - RIGHT + 14, ly - 7, 24, 10, colors.get(p));
            Svg.text(g, W - RIGHT + 44, ly + 3, "start", "legend", parts.get(p));
        }
        return svg;
    }
}
