package dev.apoptosis.cli;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.checkpoint.TrainingProgress;
import dev.apoptosis.data.Normalize;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.train.ClassNames;
import dev.apoptosis.train.InputNormalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apoptosis info}: what a checkpoint holds, without running it: the model and its size, where
 * its training stands, its settings and metadata, and the figures of every recorded epoch.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe a checkpoint: model, parameters, MACs, metadata, training progress and settings, "
                + "and the per-epoch history (training loss and accuracy, test accuracy, time).")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Checkpoint file, or an ONNX model (.onnx).")
    Path file;

    @Option(names = "--layers", description = "Also list every node: op kind, output shape and MACs.")
    boolean layers;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    /** Metadata shown on their own lines, not repeated in the "metadata" list. */
    private static final List<String> SHOWN = List.of(Checkpoint.Meta.MODEL, Checkpoint.Meta.DATA, Checkpoint.Meta.PROVENANCE,
            Checkpoint.Meta.CREATED, Checkpoint.Meta.TOOL, Checkpoint.Meta.PARAMS, Checkpoint.Meta.MACS,
            Checkpoint.Meta.INPUT_MEAN, Checkpoint.Meta.INPUT_STD, Checkpoint.Meta.CLASSES);

    @Override
    public Integer call() throws IOException {
        Checkpoint c = dev.apoptosis.onnx.ModelFiles.read(file);
        Graph g = c.toGraph(file);
        System.out.print(json ? json(c, g) : text(c, g));
        return 0;
    }

    private String text(Checkpoint c, Graph g) throws IOException {
        Map<String, String> m = c.metadata();
        StringBuilder b = new StringBuilder();
        line(b, "file", String.format(Locale.ROOT, "%s (%,d bytes)", file, Files.size(file)));
        line(b, "model", String.format(Locale.ROOT, "%s (graph %s): %,d parameters, %,d MACs per sample, input %s, output %s",
                m.getOrDefault(Checkpoint.Meta.MODEL, c.graphName()), c.graphName(), g.numParameters(), g.macs(),
                Arrays.toString(g.inputs().get(0).outputShape()), Arrays.toString(g.output().outputShape())));
        if (m.containsKey(Checkpoint.Meta.DATA)) line(b, "data", m.get(Checkpoint.Meta.DATA));
        if (!c.masks().isEmpty()) {
            dev.apoptosis.prune.SparsityTable st = dev.apoptosis.prune.SparsityTable.of(g);
            line(b, "masks", String.format(Locale.ROOT, "%d parameters masked; %,d of %,d weights kept (sparsity %.2f%%)",
                    c.masks().size(), st.kept(), st.entries(), 100 * st.sparsity()));
        }
        Normalize input = InputNormalization.recorded(m, file.toString());
        line(b, "inputs", input != null ? "normalised per channel: " + InputNormalization.describe(input)
                : "normalisation not recorded");
        List<String> classes = ClassNames.recorded(m);
        if (!classes.isEmpty()) line(b, "classes", classes.size() + ": " + String.join(", ", classes));
        if (m.containsKey(Checkpoint.Meta.CREATED) || m.containsKey(Checkpoint.Meta.TOOL)) {
            line(b, "written", m.getOrDefault(Checkpoint.Meta.CREATED, "?") + " by " + m.getOrDefault(Checkpoint.Meta.TOOL, "?"));
        }
        TrainingProgress p = c.progress();
        if (p != null) {
            String epochs = p.config().getOrDefault("epochs", "?");
            String where = p.epoch() + " of " + epochs + " epochs done";
            if (p.batch() > 0) where += ", then " + p.batch() + " batches of epoch " + (p.epoch() + 1);
            line(b, "training", where + (c.optimizer() != null ? " (" + c.optimizer().step() + " optimiser steps)" : ""));
            StringJoiner s = new StringJoiner(" ");
            p.config().forEach((k, v) -> s.add(k + "=" + v));
            line(b, "settings", s.toString());
        } else {
            line(b, "training", "no training state (cannot be resumed)");
        }
        if (m.containsKey(Checkpoint.Meta.TOP1)) {
            line(b, "last test", String.format(Locale.ROOT, "top-1 %s, top-5 %s, loss %s", number(m.get(Checkpoint.Meta.TOP1), 100, "%.2f%%"),
                    number(m.get(Checkpoint.Meta.TOP5), 100, "%.2f%%"), number(m.get(Checkpoint.Meta.LOSS), 1, "%.4f")));
        }
        // The test figures are on their own line; a training run's position and seed are in "training" and "settings".
        List<String> shown = new java.util.ArrayList<>(SHOWN);
        shown.addAll(List.of(Checkpoint.Meta.TOP1, Checkpoint.Meta.TOP5, Checkpoint.Meta.LOSS));
        if (p != null) shown.addAll(List.of(Checkpoint.Meta.EPOCH, "batch", Checkpoint.Meta.SEED));
        StringJoiner other = new StringJoiner(", ");
        m.forEach((k, v) -> {
            if (!shown.contains(k) && !k.startsWith("prune.")) other.add(k + "=" + v);
        });
        if (other.length() > 0) line(b, "metadata", other.toString());
        if (m.containsKey(Checkpoint.Meta.PROVENANCE)) line(b, "provenance", m.get(Checkpoint.Meta.PROVENANCE));
        if (m.containsKey("prune.history")) {
            try {
                pruning(b, m);
            } catch (IllegalArgumentException e) {   // JSON or number format: the file is a stranger's
                line(b, "pruning", "history unreadable: " + Terminal.safe(e.getMessage()));
            }
        }
        if (p != null) history(b, p);
        if (layers) {
            b.append('\n');
            g.summary().lines().forEach(l -> b.append(Terminal.safe(l)).append('\n'));
        }
        if (layers && !c.masks().isEmpty()) {
            b.append('\n');
            dev.apoptosis.prune.SparsityTable.of(g).format().lines().forEach(l -> b.append(Terminal.safe(l)).append('\n'));
        }
        return b.toString();
    }

    private static void history(StringBuilder b, TrainingProgress p) {
        List<EpochRecord> h = p.history();
        if (h.isEmpty()) {
            if (p.epoch() > 0) b.append("\nno per-epoch history (written by a build older than checkpoint format 2)\n");
            return;
        }
        b.append(String.format(Locale.ROOT, "%n%6s  %10s  %11s  %9s  %10s  %10s  %8s%n", "epoch", "train loss", "train top-1",
                "test loss", "test top-1", "test top-5", "time"));
        double total = 0;
        EpochRecord best = null;
        for (EpochRecord r : h) {
            if (r.hasTest() && (best == null || r.testTop1() > best.testTop1())) best = r;
            b.append(String.format(Locale.ROOT, "%6d  %10.4f  %10.2f%%  %9s  %10s  %10s  %8s%n", r.epoch(), r.trainLoss(),
                    100 * r.trainTop1(), r.hasTest() ? String.format(Locale.ROOT, "%.4f", r.testLoss()) : "-",
                    r.hasTest() ? String.format(Locale.ROOT, "%.2f%%", 100 * r.testTop1()) : "-",
                    r.hasTest() ? String.format(Locale.ROOT, "%.2f%%", 100 * r.testTop5()) : "-", TrainCommand.formatSeconds(r.seconds())));
            total += r.seconds();
        }
        String span = h.get(0).epoch() == 1 ? "all " + h.size() + " epochs"
                : "epochs " + h.get(0).epoch() + "-" + h.get(h.size() - 1).epoch() + " (earlier ones were written by an older build)";
        b.append(String.format(Locale.ROOT, "computing time of %s: %s (training and test evaluation; not data loading)%n", span,
                TrainCommand.formatSeconds(total)));
        if (best != null) {
            b.append(String.format(Locale.ROOT, "best test top-1: %.2f%% after epoch %d%n", 100 * best.testTop1(), best.epoch()));
        }
    }

    /** The pruning steps a prune run recorded (prune.history: one JSON step record per line). */
    private static void pruning(StringBuilder b, Map<String, String> m) {
        List<dev.apoptosis.prune.StepRecord> steps = new java.util.ArrayList<>();
        for (String l : m.get("prune.history").split("\n")) if (!l.isBlank()) steps.add(dev.apoptosis.prune.StepRecord.fromJson(l));
        if (steps.isEmpty()) return;
        String[] base = m.getOrDefault("prune.base", "0,0").split(",");
        long macs0 = Long.parseLong(base[0]);
        dev.apoptosis.prune.StepRecord last = steps.get(steps.size() - 1);
        double seconds = 0;
        for (var r : steps) seconds += r.importanceSeconds() + r.selectionSeconds() + r.surgerySeconds();
        line(b, "pruning", String.format(Locale.ROOT, "%d steps (phase %s): %,d -> %,d MACs (%.1f%%), %,d -> %,d parameters kept; %s",
                steps.size(), m.getOrDefault("prune.phase", "?"), macs0, last.macs(), macs0 > 0 ? 100.0 * last.macs() / macs0 : 0,
                Long.parseLong(base[1]), last.keptParams(), TrainCommand.formatSeconds(seconds)));
    }

    /** One labelled line; the value comes from the file, so escape sequences in it are shown, not obeyed. */
    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-11s %s%n", label, Terminal.safe(value)));
    }

    /** A number stored as text, times {@code scale}, in {@code format}; shown as written if it is not a number. */
    private static String number(String text, double scale, String format) {
        if (text == null) return "?";
        try {
            return String.format(Locale.ROOT, format, scale * Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return text; // metadata is free text: show it as written
        }
    }

    private String json(Checkpoint c, Graph g) throws IOException {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", file.toString());
        o.put("bytes", Files.size(file));
        o.put("graph", c.graphName());
        o.put("parameters", g.numParameters());
        o.put("macs", g.macs());
        o.put("input", g.inputs().get(0).outputShape());
        o.put("output", g.output().outputShape());
        o.put("metadata", c.metadata());
        if (layers) {
            List<Map<String, Object>> nodes = new ArrayList<>();
            for (dev.apoptosis.graph.Node n : g.nodes()) {
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("name", n.name());
                node.put("op", n.op().kind());
                node.put("shape", n.outputShape());
                node.put("macs", n.macs());
                nodes.add(node);
            }
            o.put("nodes", nodes);
        }
        TrainingProgress p = c.progress();
        if (p != null) {
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("epochsDone", p.epoch());
            progress.put("batch", p.batch());
            if (c.optimizer() != null) progress.put("steps", c.optimizer().step());
            progress.put("settings", p.config());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (EpochRecord r : p.history()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", r.epoch());
                row.put("trainLoss", Json.number(r.trainLoss()));
                row.put("trainTop1", Json.number(r.trainTop1()));
                row.put("testLoss", Json.number(r.testLoss()));
                row.put("testTop1", Json.number(r.testTop1()));
                row.put("testTop5", Json.number(r.testTop5()));
                row.put("seconds", Json.number(r.seconds()));
                rows.add(row);
            }
            progress.put("history", rows);
            o.put("progress", progress);
        }
        return Json.write(o) + "\n";
    }
}
