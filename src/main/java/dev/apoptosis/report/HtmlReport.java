package dev.apoptosis.report;

import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.prune.StepRecord;
import dev.apoptosis.runs.LayerRow;
import dev.apoptosis.runs.RunRecords;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The report as one self-contained HTML page: its CSS inline, every chart an inline SVG, no script,
 * no font or image fetched from anywhere. Sections, each drawn only where some run has the records
 * for it: a summary table; accuracy against kept MACs (one line per criterion over all the prune
 * runs given, dashed: before fine-tuning); channels per layer before and after (bars); the kept MACs
 * and parameters step by step; where the pruning time went (importance, selection, surgery); the
 * training curves; the per-layer tables; the provenance of every run. Built as a jsoup document, so
 * every text and attribute is escaped by the library.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static Document build(List<RunRecords> runs) {
        Document doc = Document.createShell("");
        doc.prependChild(new org.jsoup.nodes.DocumentType("html", "", ""));
        doc.outputSettings().prettyPrint(true).charset("UTF-8");
        doc.head().appendElement("meta").attr("charset", "utf-8");
        doc.head().appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
        doc.title("Apoptosis pruning report");
        doc.head().appendElement("style").appendChild(new org.jsoup.nodes.DataNode(CSS));
        Element body = doc.body();
        body.appendElement("h1").text("Apoptosis pruning report");
        List<RunSummary> sums = new ArrayList<>();
        for (RunRecords r : runs) sums.add(RunSummary.of(r));
        body.appendElement("p").addClass("lede").text(lede(sums));
        summary(body, sums);
        accuracy(body, runs);
        channels(body, runs);
        steps(body, runs);
        time(body, runs);
        training(body, runs);
        layers(body, runs);
        provenance(body, runs);
        return doc;
    }

    private static String lede(List<RunSummary> sums) {
        long prune = sums.stream().filter(s -> s.run().info().isPrune()).count();
        long train = sums.size() - prune;
        long broken = sums.stream().filter(s -> s.run().interrupted()).count();
        return prune + " pruning run(s) and " + train + " training run(s)" + (broken > 0 ? "; " + broken + " interrupted (drawn as far as they got)" : "")
                + ". Accuracies are top-1 on the test split.";
    }

    private static void summary(Element body, List<RunSummary> sums) {
        body.appendElement("h2").text("Summary");
        Element t = table(body, "summary", "run", "criterion", "target", "status", "MACs kept", "params kept", "top-1 dense",
                "pruned", "fine-tuned");
        for (RunSummary s : sums) {
            var i = s.run().info();
            Element tr = i.isPrune()
                    ? row(t, s.run().label(), i.criterion(), s.targets(), s.status(), RunSummary.pct(s.macsKept()), RunSummary.pct(s.paramsKept()),
                            RunSummary.pct(s.top1Dense()), RunSummary.pct(s.top1Pruned()),
                            RunSummary.pct(s.top1Finetuned()) + (s.finetuneEpochs() > 0 ? " (" + s.finetuneEpochs() + " ep.)" : ""))
                    : row(t, s.run().label(), "(training)", "", s.status(), "", "", RunSummary.pct(s.top1Finetuned()), "", "");
            if (s.run().interrupted()) tr.addClass("interrupted");
        }
    }

    private static void accuracy(Element body, List<RunRecords> runs) {
        List<CriteriaTable.Row> rows = CriteriaTable.rows(runs);
        if (rows.isEmpty()) return;
        Element svg = accuracyChart(rows);
        body.appendElement("h2").text(svg.selectFirst("title").text().replace("Top-1 accuracy against the fraction of", "Accuracy against"));
        figure(body, svg, "One line per criterion through the dense model (100%) and every target, the mean over seeds; solid: after "
                + "fine-tuning, dashed: straight after pruning. Unstructured runs are placed by the weights they keep.");
    }

    /**
     * The accuracy chart alone as a standalone SVG document (its styles inside it), for a README or
     * results page to show; null when the runs have no finished target.
     */
    public static String accuracySvg(List<RunRecords> runs) {
        List<CriteriaTable.Row> rows = CriteriaTable.rows(runs);
        if (rows.isEmpty()) return null;
        Element svg = accuracyChart(rows);
        // The page's chart rules without the page: a fixed size, and a font named for viewers without the page's.
        svg.prependElement("style").appendChild(new org.jsoup.nodes.DataNode(SVG_CSS.lines().skip(1).map(l -> l.strip().replace("svg .", "."))
                .reduce("svg { background: #fff; font-size: 12px; font-family: \"DejaVu Sans\", sans-serif; }", (a, l) -> a + " " + l)));
        svg.removeAttr("class");
        svg.prependChild(svg.selectFirst("title"));
        // XML syntax, and viewBox restored: jsoup stores attribute names lower-cased, which an HTML page's
        // parser undoes for inline SVG but an SVG file's XML parser does not.
        Document doc = new Document("");
        doc.outputSettings().syntax(Document.OutputSettings.Syntax.xml).charset(java.nio.charset.StandardCharsets.UTF_8);
        doc.appendChild(svg);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + doc.outerHtml().strip().replaceFirst(" viewbox=", " viewBox=") + "\n";
    }

    private static Element accuracyChart(List<CriteriaTable.Row> rows) {
        // One line per criterion and variant through the dense model (1.0) and every target, seeds
        // averaged; lines of another dense model or mode are named apart.
        Map<String, List<double[]>> tuned = new LinkedHashMap<>(), pruned = new LinkedHashMap<>();
        java.util.Set<String> bases = new java.util.HashSet<>(), modes = new java.util.HashSet<>();
        boolean anyTuning = false;
        for (CriteriaTable.Row r : rows) {
            bases.add(r.model() + "|" + r.source());
            modes.add(String.valueOf(r.structured()));
            anyTuning |= r.finetuneEpochs() > 0;
        }
        for (CriteriaTable.Row r : rows) {
            String c = r.criterion() + (r.variant().isEmpty() ? "" : " " + r.variant())
                    + (bases.size() > 1 ? " from " + (r.source() == null ? "?" : java.nio.file.Path.of(r.source()).getFileName()) : "")
                    + (modes.size() > 1 ? (r.structured() ? ", channels" : ", weights") : "");
            tuned.computeIfAbsent(c, k -> new ArrayList<>(List.of(new double[] {1, r.top1Dense()})));
            pruned.computeIfAbsent(c, k -> new ArrayList<>(List.of(new double[] {1, r.top1Dense()})));
            tuned.get(c).add(new double[] {r.keptFraction(), CriteriaTable.mean(r.top1Finetuned())});
            pruned.get(c).add(new double[] {r.keptFraction(), CriteriaTable.mean(r.top1Pruned())});
        }
        boolean weights = modes.equals(java.util.Set.of("false"));
        String what = weights ? "weights" : modes.size() > 1 ? "MACs (channels) or weights" : "MACs";
        List<LineChart.Series> series = new ArrayList<>();
        int i = 0;
        for (String c : tuned.keySet()) {
            String color = Palette.unused(Palette.criterion(c, i++), series.stream().map(LineChart.Series::color).toList());
            series.add(new LineChart.Series(c, color, false, sorted(tuned.get(c))));
            if (anyTuning) series.add(new LineChart.Series(c + ", before fine-tuning", color, true, sorted(pruned.get(c))));
        }
        return LineChart.draw("accuracy", "Top-1 accuracy against the fraction of " + what + " kept", what + " kept (of the dense model)",
                "top-1 accuracy", series, null, null, Axis.percent(), Axis.percent());
    }

    private static List<double[]> sorted(List<double[]> pts) {
        List<double[]> s = new ArrayList<>(pts);
        s.sort(Comparator.comparingDouble((double[] p) -> -p[0]));
        return s;
    }

    private static void channels(Element body, List<RunRecords> runs) {
        Map<String, List<RunRecords>> byModel = new LinkedHashMap<>();
        for (RunRecords r : runs) if (r.info().isPrune() && r.layers() != null) byModel.computeIfAbsent(r.info().model(), k -> new ArrayList<>()).add(r);
        if (byModel.isEmpty()) return;
        body.appendElement("h2").text("Channels per layer");
        for (var e : byModel.entrySet()) {
            List<LayerRow> first = e.getValue().get(0).layers();
            List<String> names = first.stream().map(LayerRow::name).toList();
            List<BarChart.Series> series = new ArrayList<>();
            series.add(new BarChart.Series("before", Palette.BEFORE, first.stream().mapToDouble(LayerRow::channelsBefore).toArray()));
            int i = 0;
            for (RunRecords r : e.getValue()) {
                Map<String, LayerRow> m = new LinkedHashMap<>();
                for (LayerRow l : r.layers()) m.put(l.name(), l);
                double[] v = names.stream().mapToDouble(n -> m.containsKey(n) ? m.get(n).channelsAfter() : Double.NaN).toArray();
                String color = Palette.unused(Palette.criterion(r.info().criterion(), i++), series.stream().map(BarChart.Series::color).toList());
                series.add(new BarChart.Series(r.label(), color, v));
            }
            figure(body, BarChart.draw("channels", "Output channels per layer of " + e.getKey(), "output channels (features)", names, series),
                    e.getKey() + ": output channels (features for a linear layer) of every layer with weights, before pruning and after each run.");
        }
    }

    private static void steps(Element body, List<RunRecords> runs) {
        List<LineChart.Series> series = new ArrayList<>();
        int i = 0;
        for (RunRecords r : runs) {
            if (!r.info().isPrune() || r.steps().isEmpty()) continue;
            List<double[]> macs = new ArrayList<>(), params = new ArrayList<>();
            macs.add(new double[] {0, 1});
            params.add(new double[] {0, 1});
            int k = 0;
            for (StepRecord s : r.steps()) {
                k++;
                macs.add(new double[] {k, (double) s.macs() / r.info().macsBefore()});
                params.add(new double[] {k, (double) s.keptParams() / r.info().paramsBefore()});
            }
            String color = Palette.criterion(r.info().criterion(), i++);
            series.add(new LineChart.Series(r.label() + " MACs", color, false, macs));
            series.add(new LineChart.Series(r.label() + " params", color, true, params));
        }
        if (series.isEmpty()) return;
        body.appendElement("h2").text("Pruning, step by step");
        figure(body, LineChart.draw("steps", "MACs and parameters kept after every pruning step", "step", "kept (of the dense model)", series,
                null, new double[] {0, 1, 0.2}, Axis.number(), Axis.percent()),
                "Solid: MACs kept; dashed: parameters kept. Step 0 is the dense model; each step re-scores the model on fresh calibration batches.");
        Element t = table(body, "step-table", "run", "step", "target MACs", "MACs", "params kept", "channels removed", "noise-level groups",
                "importance s", "selection s", "surgery s");
        for (RunRecords r : runs) {
            if (!r.info().isPrune()) continue;
            for (StepRecord s : r.steps()) {
                row(t, r.label(), Integer.toString(s.step()), num(s.targetMacs()), num(s.macs()), num(s.keptParams()), Integer.toString(s.removed()),
                        Integer.toString(s.noiseGroups()), secs(s.importanceSeconds()), secs(s.selectionSeconds()), secs(s.surgerySeconds()));
            }
        }
        t.parent().addClass("scroll");
    }

    private static void time(Element body, List<RunRecords> runs) {
        List<String> rows = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        for (RunRecords r : runs) {
            if (!r.info().isPrune() || r.steps().isEmpty()) continue;
            double[] v = new double[3];
            for (StepRecord s : r.steps()) {
                v[0] += s.importanceSeconds();
                v[1] += s.selectionSeconds();
                v[2] += s.surgerySeconds();
            }
            rows.add(r.label());
            vals.add(v);
        }
        if (rows.isEmpty()) return;
        body.appendElement("h2").text("Where the pruning time went");
        figure(body, StackedBarChart.draw("time", "Seconds per phase, summed over the steps", "seconds (wall clock)", rows,
                List.of("importance", "selection", "surgery"), List.of("#1f6fb4", "#f0b429", "#5c6b73"), vals.toArray(new double[0][])),
                "Importance: the criterion's passes over the calibration batches (for OBA and the other second-order criteria, "
                        + "forward, backward and curvature passes); selection: channel scores and the search for the target; surgery: building the smaller model.");
    }

    private static void training(Element body, List<RunRecords> runs) {
        List<LineChart.Series> series = new ArrayList<>();
        int i = 0;
        for (RunRecords r : runs) {
            if (r.epochs().isEmpty()) continue;
            List<double[]> test = new ArrayList<>(), train = new ArrayList<>();
            for (EpochRecord e : r.epochs()) {
                test.add(new double[] {e.epoch(), e.testTop1()});
                train.add(new double[] {e.epoch(), e.trainTop1()});
            }
            String color = Palette.cycle(5 + i++);
            series.add(new LineChart.Series(r.label() + " test", color, false, test));
            series.add(new LineChart.Series(r.label() + " train", color, true, train));
        }
        if (series.isEmpty()) return;
        body.appendElement("h2").text("Training");
        figure(body, LineChart.draw("training", "Top-1 accuracy per epoch", "epoch", "top-1 accuracy", series, null, null, Axis.number(), Axis.percent()),
                "Solid: test split after the epoch; dashed: running training accuracy over the epoch's batches.");
    }

    private static void layers(Element body, List<RunRecords> runs) {
        boolean any = runs.stream().anyMatch(r -> r.layers() != null);
        if (!any) return;
        body.appendElement("h2").text("Layers");
        for (RunRecords r : runs) {
            if (r.layers() == null) continue;
            body.appendElement("h3").text(r.label());
            Element t = table(body, "layers", "layer", "kind", "channels before", "channels after", "kept", "MACs before", "MACs after",
                    "params before", "params after");
            for (LayerRow l : r.layers()) {
                row(t, l.name(), l.kind(), Integer.toString(l.channelsBefore()), Integer.toString(l.channelsAfter()),
                        RunSummary.pct((double) l.channelsAfter() / l.channelsBefore()), num(l.macsBefore()), num(l.macsAfter()),
                        num(l.paramsBefore()), num(l.paramsAfter()));
            }
        }
    }

    private static void provenance(Element body, List<RunRecords> runs) {
        body.appendElement("h2").text("Provenance");
        for (RunRecords r : runs) {
            var i = r.info();
            body.appendElement("h3").text(r.label());
            Element dl = body.appendElement("dl").addClass("provenance");
            kv(dl, "folder", r.dir().toString());
            kv(dl, "command", i.command());
            kv(dl, "tool", i.tool());
            kv(dl, "started", i.created());
            kv(dl, "model", i.model());
            kv(dl, "data", i.data());
            if (i.isPrune()) kv(dl, "criterion", i.criterion());
            kv(dl, "started from", i.source());
            if (i.provenance() != null && !i.provenance().isEmpty()) kv(dl, "its provenance", i.provenance());
            kv(dl, "MACs, parameters at the start", num(i.macsBefore()) + ", " + num(i.paramsBefore()));
            List<String> settings = new ArrayList<>();
            i.settings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> settings.add(e.getKey() + "=" + e.getValue()));
            kv(dl, "settings", String.join("  ", settings));
        }
    }

    private static void kv(Element dl, String k, String v) {
        dl.appendElement("dt").text(k);
        dl.appendElement("dd").text(v == null ? "" : v);
    }

    private static void figure(Element body, Element svg, String caption) {
        Element f = body.appendElement("figure");
        f.appendChild(svg);
        f.appendElement("figcaption").text(caption);
    }

    private static Element table(Element body, String cls, String... head) {
        Element t = body.appendElement("div").addClass("table").appendElement("table").addClass(cls);
        Element tr = t.appendElement("thead").appendElement("tr");
        for (String h : head) tr.appendElement("th").text(h);
        t.appendElement("tbody");
        return t;
    }

    private static Element row(Element table, String... cells) {
        Element tr = table.selectFirst("tbody").appendElement("tr");
        for (String c : cells) tr.appendElement("td").text(c);
        return tr;
    }

    static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String secs(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /** The charts' styles: the page's, and inside a standalone SVG ({@link #accuracySvg}). */
    private static final String SVG_CSS = """
            svg.chart { width: 100%; max-width: 860px; height: auto; background: #fff; font-size: 12px; }
            svg .grid { stroke: #e6eaee; } svg .axis { stroke: #6b7780; } svg .tick { fill: #4a555d; font-size: 11px; }
            svg .axis-label { fill: #1d2329; font-size: 12px; } svg .legend { fill: #1d2329; font-size: 12px; } svg .value { fill: #4a555d; font-size: 10px; }
            """;
    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d2329; margin: 2rem auto;
                   max-width: 980px; padding: 0 1rem; line-height: 1.45; }
            h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #dde2e6; padding-bottom: .2rem; }
            h3 { font-size: 1rem; margin-bottom: .3rem; } .lede { color: #5c6b73; }
            figure { margin: 1rem 0; } figcaption { color: #5c6b73; font-size: .9rem; max-width: 640px; }
            """ + SVG_CSS + """
            .table { overflow-x: auto; } .scroll { max-height: 24rem; overflow-y: auto; }
            table { border-collapse: collapse; font-size: .85rem; margin: .4rem 0 1rem; }
            th, td { padding: .25rem .5rem; border-bottom: 1px solid #e6eaee; text-align: right; white-space: nowrap; }
            th:first-child, td:first-child { text-align: left; } th { background: #f4f6f8; position: sticky; top: 0; }
            tr.interrupted td { color: #a33; }
            dl.provenance { display: grid; grid-template-columns: 14rem 1fr; gap: .15rem 1rem; font-size: .88rem; }
            dl.provenance dt { color: #5c6b73; } dl.provenance dd { margin: 0; word-break: break-word; }
            """;
}
