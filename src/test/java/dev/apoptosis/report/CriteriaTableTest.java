package dev.apoptosis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.runs.FinetuneRecord;
import dev.apoptosis.runs.RunDirectory;
import dev.apoptosis.runs.RunInfo;
import dev.apoptosis.runs.RunRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence table: seeds aggregated into rows, ablations named as variants, the best row in bold. */
class CriteriaTableTest {
    @TempDir
    Path tmp;

    /** A finished prune run with one fine-tuning record per target: (target, top-1 pruned, top-1 tuned, MACs kept). */
    private RunRecords run(String name, String criterion, long seed, Map<String, String> extra, double[]... targets) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("criterion", criterion, "seed", Long.toString(seed), "mode", "structured",
                "noise_remedy", "drop", "criterion_options", "", "steps", "10"));
        settings.putAll(extra);
        List<Double> ts = new ArrayList<>();
        for (double[] t : targets) ts.add(t[0]);
        Path dir = tmp.resolve(name);
        RunDirectory d = RunDirectory.start(dir, new RunInfo(RunDirectory.FORMAT, "prune", "apoptosis test", "2026-01-01T00:00:00Z",
                "resnet20", "cifar10", criterion, settings, ts, 10, "dense.ckpt", "", 1000, 100, 0.8));
        int epochs = "unstructured".equals(settings.get("mode")) ? 0 : 2;     // the unstructured protocol does not fine-tune
        for (double[] t : targets) d.appendFinetune(new FinetuneRecord(t[0], t[1], t[2], epochs, Math.round(1000 * t[3]), 40));
        return RunRecords.read(dir);
    }

    @Test
    void seedsAreAggregatedAndAblationsNamedAsVariants() throws IOException {
        List<RunRecords> runs = List.of(
                run("oba-s0", "oba", 0, Map.of(), new double[] {0.5, 0.40, 0.780, 0.49}),
                run("oba-s1", "oba", 1, Map.of(), new double[] {0.5, 0.50, 0.790, 0.51}),
                run("mag-s0", "magnitude", 0, Map.of(), new double[] {0.5, 0.30, 0.770, 0.50}),
                run("taylor-s0", "taylor", 0, Map.of(), new double[] {0.5, 0.35, 0.776, 0.50}),
                run("oba-ref", "oba", 0, Map.of("noise_remedy", "reference"), new double[] {0.5, 0.20, 0.700, 0.50}),
                run("oba-bn", "oba", 0, Map.of("criterion_options", "batchnorm=running"), new double[] {0.5, 0.25, 0.710, 0.50}));
        List<CriteriaTable.Row> rows = CriteriaTable.rows(runs);
        assertEquals(List.of("magnitude ", "taylor ", "oba ", "oba criterion_options=batchnorm=running", "oba noise_remedy=reference"),
                rows.stream().map(r -> r.criterion() + " " + r.variant()).toList(), "the modal setting is the baseline; criteria in order");
        CriteriaTable.Row oba = rows.get(2);
        assertEquals(List.of(0L, 1L), oba.seeds());
        assertEquals(0.785, CriteriaTable.mean(oba.top1Finetuned()), 1e-12);
        assertEquals(0.5, oba.keptFraction(), 1e-12);

        String md = CriteriaTable.markdown(runs);
        String obaLine = md.lines().filter(l -> l.startsWith("| oba |  |")).findFirst().orElseThrow();
        assertTrue(obaLine.contains("| 0,1 |") && obaLine.contains("45.00% ± 5.00 (2)") && obaLine.contains("**78.50% ± 0.50 (2)**"), obaLine);
        String taylorLine = md.lines().filter(l -> l.startsWith("| taylor |")).findFirst().orElseThrow();
        assertTrue(taylorLine.contains("| 77.60% |"), "a single seed has no spread, and is not bold below the best mean: " + taylorLine);
        String refLine = md.lines().filter(l -> l.contains("noise_remedy=reference")).findFirst().orElseThrow();
        assertTrue(!refLine.contains("**"), "a variant alone in its comparison is not 'best': " + refLine);
    }

    @Test
    void aListOfTargetsGivesARowPerTargetAndUnstructuredRunsTheirOwnTable() throws IOException {
        List<RunRecords> runs = List.of(
                run("u-oba", "oba", 0, Map.of("mode", "unstructured", "steps", "5"), new double[] {0.5, 0.7, 0.7, 1}, new double[] {0.2, 0.5, 0.5, 1}),
                run("oba", "oba", 0, Map.of(), new double[] {0.5, 0.4, 0.78, 0.5}));
        List<CriteriaTable.Row> rows = CriteriaTable.rows(runs);
        assertEquals(3, rows.size());
        assertEquals(List.of(true, false, false), rows.stream().map(CriteriaTable.Row::structured).toList());
        assertEquals(List.of("", "", ""), rows.stream().map(CriteriaTable.Row::variant).toList(),
                "an unstructured run's own protocol (steps) is not a variant of the structured runs");
        assertEquals(0.4, rows.get(1).keptFraction(), 1e-12, "unstructured rows are placed by the weights they keep");
        String md = CriteriaTable.markdown(runs);
        assertTrue(md.contains("resnet20 from dense.ckpt, structured (dense top-1 80.00%)"), md);
        assertTrue(md.contains("resnet20 from dense.ckpt, unstructured"), md);
        String unstructured = md.substring(md.indexOf("unstructured ("));
        assertTrue(unstructured.contains("| top-1 (no fine-tuning) |") && !unstructured.contains("after fine-tuning"),
                "a table without fine-tuning has no fine-tuning column: " + unstructured);
    }

    @Test
    void seedsFineTunedForDifferentBudgetsAreNotOneRow() throws IOException {
        RunRecords a = run("a", "oba", 0, Map.of(), new double[] {0.5, 0.4, 0.78, 0.5});
        Path dir = tmp.resolve("b");
        RunDirectory d = RunDirectory.start(dir, new RunInfo(RunDirectory.FORMAT, "prune", "apoptosis test", "2026-01-01T00:00:00Z",
                "resnet20", "cifar10", "oba", a.info().settings(), List.of(0.5), 10, "dense.ckpt", "", 1000, 100, 0.8));
        d.appendFinetune(new FinetuneRecord(0.5, 0.4, 0.8, 5, 500, 40));
        var e = assertThrows(IllegalArgumentException.class, () -> CriteriaTable.rows(List.of(a, RunRecords.read(dir))));
        assertTrue(e.getMessage().contains("fine-tuned 5 epochs"), e.getMessage());
    }

    @Test
    void theChartIsAStandaloneSvgDocument() throws Exception {
        List<RunRecords> runs = List.of(run("oba", "oba", 0, Map.of(), new double[] {0.5, 0.4, 0.78, 0.5}));
        String svg = HtmlReport.accuracySvg(runs);
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals("0 0 720 340", doc.getDocumentElement().getAttribute("viewBox"), "case kept: an SVG file is XML");
        assertEquals(1, doc.getElementsByTagName("style").getLength(), "its styles inside it");
    }
}
