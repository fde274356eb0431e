package dev.apoptosis.cli;

import dev.apoptosis.report.Report;
import dev.apoptosis.runs.RunRecords;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apoptosis report}: reads run directories (written by {@code train}, {@code prune} and
 * {@code demo}) and writes one self-contained HTML page of charts and tables; prints its summary as
 * Markdown.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Draw run directories (train/prune --run-dir, demo) as one self-contained HTML page (inline SVG, no script) "
                + "and print a Markdown summary.", "Several prune runs give one accuracy-against-MACs line per criterion."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories.")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "report.html", description = "HTML file to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--table", description = "Print the evidence table instead of the run-by-run summary: rows of criterion, variant "
            + "and target with their seeds aggregated (mean ± half-range).")
    boolean table;

    @Option(names = "--chart", paramLabel = "FILE.svg", description = "Also write the accuracy-against-kept-MACs chart alone, as a "
            + "standalone SVG file (for a README or results page).")
    Path chart;

    @Override
    public Integer call() throws Exception {
        List<RunRecords> runs = Report.read(dirs);
        String summary = Report.write(runs, out);
        System.out.print(table ? dev.apoptosis.report.CriteriaTable.markdown(runs) : summary);
        System.out.println();
        if (chart != null) {
            String svg = dev.apoptosis.report.HtmlReport.accuracySvg(runs);
            if (svg == null) throw new IllegalArgumentException("--chart: no run given has finished a pruning target, so there is nothing to draw");
            dev.apoptosis.io.OutputTarget.check(chart);
            byte[] bytes = svg.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            dev.apoptosis.checkpoint.AtomicFile.write(chart, os -> os.write(bytes));
            System.out.println("wrote " + chart);
        }
        System.out.println("wrote " + out);
        return 0;
    }
}
