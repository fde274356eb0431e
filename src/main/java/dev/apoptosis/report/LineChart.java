package dev.apoptosis.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import org.jsoup.nodes.Element;

/**
 * A line chart: one polyline with dots per series, axes with nice ticks, a grid and a legend. Each
 * series is a {@code <g class="series" data-series="NAME">} (an auxiliary one, drawn dashed, has
 * class {@code series-aux}), so a reader, or a test, can tell the series apart in the markup.
 */
final class LineChart {
    /** One line; {@code points} are (x, y) pairs in data units, drawn in the given order. */
    record Series(String name, String color, boolean dashed, List<double[]> points) {}

    private static final int W = 720, H = 340, LEFT = 64, RIGHT = 230, TOP = 16, BOTTOM = 48;

    private LineChart() {}

    /**
     * @param xFixed null to fit the x range to the data, else {lo, hi, step}
     * @param yFixed null to fit the y range to the data, else {lo, hi, step}
     */
    static Element draw(String chart, String title, String xLabel, String yLabel, List<Series> series, double[] xFixed, double[] yFixed,
                        DoubleFunction<String> xFormat, DoubleFunction<String> yFormat) {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) continue;
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]);
                y1 = Math.max(y1, p[1]);
            }
        }
        if (x0 > x1) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
        Axis x = xFixed != null ? Axis.fixed(xFixed[0], xFixed[1], xFixed[2], LEFT, W - RIGHT, xFormat)
                : Axis.nice(x0, x1, LEFT, W - RIGHT, xFormat);
        Axis y = yFixed != null ? Axis.fixed(yFixed[0], yFixed[1], yFixed[2], H - BOTTOM, TOP, yFormat)
                : Axis.nice(y0, y1, H - BOTTOM, TOP, yFormat);
        Element svg = Svg.root(chart, W, H, title);
        axes(svg, x, y, xLabel, yLabel);
        int row = 0;
        for (Series s : series) {
            Element g = svg.appendElement("g").attr("class", s.dashed() ? "series-aux" : "series").attr("data-series", s.name());
            List<String> pts = new ArrayList<>();
            for (double[] p : s.points()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) pts.add(Svg.n(x.px(p[0])) + "," + Svg.n(y.px(p[1])));
            }
            Element line = g.appendElement("polyline").attr("points", String.join(" ", pts)).attr("fill", "none")
                    .attr("stroke", s.color()).attr("stroke-width", "2.5");
            if (s.dashed()) line.attr("stroke-dasharray", "6 4").attr("stroke-width", "1.5");
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) continue;
                Element c = Svg.circle(g, x.px(p[0]), y.px(p[1]), s.dashed() ? 2.5 : 4, s.color());
                Svg.tip(c, s.name() + ": " + xFormat.apply(p[0]) + ", " + yFormat.apply(p[1]));
            }
            double ly = TOP + 10 + 20 * row++;
            Element lg = Svg.line(g, W - RIGHT + 14, ly, W - RIGHT + 38, ly, "legend-line").attr("stroke", s.color()).attr("stroke-width", "2.5");
            if (s.dashed()) lg.attr("stroke-dasharray", "6 4");
            Svg.text(g, W - RIGHT + 44, ly + 4, "start", "legend", s.name());
        }
        return svg;
    }

    static void axes(Element svg, Axis x, Axis y, String xLabel, String yLabel) {
        Element grid = svg.appendElement("g").attr("class", "axes");
        for (double t : y.ticks()) {
            Svg.line(grid, x.pixelFrom(), y.px(t), x.pixelTo(), y.px(t), "grid");
            Svg.text(grid, x.pixelFrom() - 6, y.px(t) + 4, "end", "tick", y.label(t));
        }
        for (double t : x.ticks()) {
            Svg.line(grid, x.px(t), y.pixelFrom(), x.px(t), y.pixelFrom() + 4, "axis");
            Svg.text(grid, x.px(t), y.pixelFrom() + 18, "middle", "tick", x.label(t));
        }
        Svg.line(grid, x.pixelFrom(), y.pixelFrom(), x.pixelTo(), y.pixelFrom(), "axis");
        Svg.line(grid, x.pixelFrom(), y.pixelFrom(), x.pixelFrom(), y.pixelTo(), "axis");
        Svg.text(grid, (x.pixelFrom() + x.pixelTo()) / 2, y.pixelFrom() + 38, "middle", "axis-label", xLabel);
        double cy = (y.pixelFrom() + y.pixelTo()) / 2;
        Svg.text(grid, 14, cy, "middle", "axis-label", yLabel).attr("transform", "rotate(-90 14 " + Svg.n(cy) + ")");
    }
}
