package dev.apoptosis.report;

import dev.apoptosis.runs.RunRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads run directories and writes the HTML report ({@link HtmlReport}); returns the Markdown summary. */
public final class Report {
    private Report() {}

    /** Reads every directory (each must be a run directory: the error names the file at fault). */
    public static List<RunRecords> read(List<Path> dirs) throws IOException {
        if (dirs.isEmpty()) throw new IllegalArgumentException("no run directory given");
        List<RunRecords> runs = new ArrayList<>();
        for (Path d : dirs) runs.add(RunRecords.read(d));
        return runs;
    }

    /** Writes the report of {@code runs} to {@code out} (atomically) and returns the Markdown summary. */
    public static String write(List<RunRecords> runs, Path out) throws IOException {
        String html = HtmlReport.build(runs).outerHtml();
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) java.nio.file.Files.createDirectories(parent);
        dev.apoptosis.checkpoint.AtomicFile.write(out, os -> os.write(bytes));
        return MarkdownSummary.of(runs);
    }
}
