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

    @Override
    public Integer call() throws Exception {
        List<RunRecords> runs = Report.read(dirs);
        System.out.print(Report.write(runs, out));
        System.out.println();
        System.out.println("wrote " + out);
        return 0;
    }
}
