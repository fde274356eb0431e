package dev.apoptosis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.cli.Main;
import dev.apoptosis.runs.RunFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report over run directories: its charts, its tables, its self-containment, and its errors. */
class ReportTest {
    @TempDir
    Path tmp;

    private Document report(List<Path> dirs) throws IOException {
        Path out = tmp.resolve("report.html");
        Report.write(Report.read(dirs), out);
        return Jsoup.parse(out.toFile(), "UTF-8");
    }

    private static List<String> series(Document doc, String chart) {
        Element svg = doc.selectFirst("svg[data-chart=" + chart + "]");
        assertNotNull(svg, "chart " + chart);
        return svg.select("g.series").eachAttr("data-series");
    }

    @Test
    void oneCriterionDrawsEverySection() throws IOException {
        Document doc = report(List.of(RunFixtures.train(tmp.resolve("train"), 3, 3),
                RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 4, 4)));
        assertEquals(List.of("oba"), series(doc, "accuracy"));
        assertEquals(List.of("before", "oba"), series(doc, "channels"));
        assertEquals(3, doc.selectFirst("svg[data-chart=channels] g.series[data-series=oba]").select("rect").size() - 1, "a bar per layer, and the legend");
        assertNotNull(doc.selectFirst("svg[data-chart=steps]"));
        assertEquals(List.of("importance", "selection", "surgery"), doc.select("svg[data-chart=time] g.part").eachAttr("data-part"));
        assertNotNull(doc.selectFirst("svg[data-chart=training]"));
        assertEquals(3, doc.select("table.layers tbody tr").size());
        assertEquals(4, doc.select("table.step-table tbody tr").size());
        assertEquals(2, doc.select("table.summary tbody tr").size());
        assertTrue(doc.select("dl.provenance dd").eachText().contains("digits-bundled"));
    }

    @Test
    void severalRunsGiveOneAccuracyLinePerCriterion() throws IOException {
        Document doc = report(List.of(RunFixtures.prune(tmp.resolve("oba-a"), "oba", List.of(0.7, 0.4), 2, 4),
                RunFixtures.prune(tmp.resolve("oba-b"), "oba", List.of(0.5), 2, 2),
                RunFixtures.prune(tmp.resolve("mag"), "magnitude", List.of(0.5), 2, 2),
                RunFixtures.prune(tmp.resolve("taylor"), "taylor", List.of(0.5), 2, 2)));
        assertEquals(List.of("oba", "magnitude", "taylor"), series(doc, "accuracy"));
        Element oba = doc.selectFirst("svg[data-chart=accuracy] g.series[data-series=oba]");
        assertEquals(4, oba.select("circle").size(), "dense, 0.7, 0.5, 0.4: every run's points on one line");
        assertEquals(3, doc.select("svg[data-chart=accuracy] g.series-aux").size(), "a dashed before-fine-tuning line per criterion");
        assertEquals(List.of("before", "oba (oba-a)", "oba (oba-b)", "magnitude (mag)", "taylor"), series(doc, "channels"));
        List<String> fills = doc.select("svg[data-chart=channels] g.series").stream().map(g -> g.selectFirst("rect").attr("fill")).toList();
        assertEquals(fills.size(), new java.util.HashSet<>(fills).size(), "every run's bars in a colour of their own: " + fills);
    }

    @Test
    void runsFromDifferentModelsDoNotShareALine() throws IOException {
        Path a = RunFixtures.prune(tmp.resolve("a"), "oba", List.of(0.5), 2, 2);
        Path b = RunFixtures.prune(tmp.resolve("b"), "oba", List.of(0.5), 2, 2);
        Path run = b.resolve("run.json");
        Files.writeString(run, Files.readString(run).replace("\"dense.ckpt\"", "\"other/pruned.onnx\""));
        Document doc = report(List.of(a, b));
        assertEquals(List.of("oba from dense.ckpt", "oba from pruned.onnx"), series(doc, "accuracy"));
    }

    @Test
    void anInterruptedRunIsShownAsFarAsItGot() throws IOException {
        Document doc = report(List.of(RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 4, 4),
                RunFixtures.prune(tmp.resolve("cut"), "magnitude", List.of(0.5), 5, 2)));
        Element row = doc.select("table.summary tbody tr.interrupted").first();
        assertNotNull(row, "interrupted row flagged");
        assertTrue(row.text().contains("interrupted after step 2 of 5"), row.text());
        assertEquals(List.of("oba"), series(doc, "accuracy"), "no accuracy point without a fine-tuning record");
        assertTrue(series(doc, "steps").contains("magnitude (cut) MACs"));
        assertEquals(1, doc.select("table.layers").size(), "no layer table without layers.json");
    }

    @Test
    void thePageIsSelfContainedAndEscaped() throws IOException {
        Path out = tmp.resolve("report.html");
        Report.write(Report.read(List.of(RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 2, 2))), out);
        String html = Files.readString(out);
        Document doc = Jsoup.parse(html);
        assertTrue(doc.select("script, link, img, iframe, object, embed").isEmpty(), "no script and nothing fetched");
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"), "no address but SVG's namespace");
        assertFalse(html.contains("https://"));
        assertFalse(html.contains("<b>&"), "setting values are escaped");
        assertTrue(doc.text().contains("note=<b>&\"quoted\"</b>"), "and read back as written");
    }

    @Test
    void markdownSummaryHasARowPerRun() throws IOException {
        String md = Report.write(Report.read(List.of(RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 2, 2),
                RunFixtures.prune(tmp.resolve("cut"), "magnitude", List.of(0.5), 4, 1))), tmp.resolve("r.html"));
        List<String> lines = md.lines().toList();
        assertEquals(4, lines.size(), md);
        assertTrue(lines.get(2).startsWith("| oba | oba | 50.0% | 2 steps | 50.0% |"), lines.get(2));
        assertTrue(lines.get(3).contains("interrupted after step 1 of 4"), lines.get(3));
    }

    @Test
    void theCommandNamesTheFileAtFault() throws IOException {
        Path good = RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 2, 2);
        Path bad = RunFixtures.prune(tmp.resolve("bad"), "oba", List.of(0.5), 2, 2);
        Files.writeString(bad.resolve("layers.json"), "{\"format\": 1, \"layers\": [{\"name\": \"conv1\"}]}");
        StringWriter err = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("report", good.toString(), bad.toString(), "--out", tmp.resolve("r.html").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains(bad.resolve("layers.json") + ": malformed"), err.toString());
        assertFalse(Files.exists(tmp.resolve("r.html")), "no report from records that do not read");

        Path missing = Files.createDirectories(tmp.resolve("none"));
        err.getBuffer().setLength(0);
        assertEquals(2, cl.execute("report", missing.toString()));
        assertTrue(err.toString().contains(missing.resolve("run.json") + ": missing"), err.toString());
    }
}
