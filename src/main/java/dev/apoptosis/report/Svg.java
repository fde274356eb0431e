package dev.apoptosis.report;

import java.util.Locale;
import org.jsoup.nodes.Element;

/**
 * Small helpers to add SVG elements to a jsoup tree: jsoup writes the markup and escapes every
 * attribute and text, so chart code only deals in coordinates.
 */
final class Svg {
    private Svg() {}

    /** A new {@code <svg>} of the given size in user units, scaled to the page width by CSS. */
    static Element root(String chart, int width, int height, String title) {
        Element svg = new Element("svg").attr("xmlns", "http://www.w3.org/2000/svg").attr("viewBox", "0 0 " + width + " " + height)
                .attr("width", Integer.toString(width)).attr("height", Integer.toString(height)).attr("role", "img")
                .attr("class", "chart").attr("data-chart", chart);
        svg.appendElement("title").text(title);
        return svg;
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static Element line(Element parent, double x1, double y1, double x2, double y2, String cls) {
        return parent.appendElement("line").attr("x1", n(x1)).attr("y1", n(y1)).attr("x2", n(x2)).attr("y2", n(y2)).attr("class", cls);
    }

    static Element rect(Element parent, double x, double y, double w, double h, String fill) {
        return parent.appendElement("rect").attr("x", n(x)).attr("y", n(y)).attr("width", n(Math.max(0, w))).attr("height", n(Math.max(0, h)))
                .attr("fill", fill);
    }

    static Element text(Element parent, double x, double y, String anchor, String cls, String text) {
        return parent.appendElement("text").attr("x", n(x)).attr("y", n(y)).attr("text-anchor", anchor).attr("class", cls).text(text);
    }

    static Element circle(Element parent, double x, double y, double r, String fill) {
        return parent.appendElement("circle").attr("cx", n(x)).attr("cy", n(y)).attr("r", n(r)).attr("fill", fill);
    }

    /** A tooltip the browser shows on hover (SVG's own {@code <title>}, no script). */
    static void tip(Element e, String text) {
        e.appendElement("title").text(text);
    }
}
