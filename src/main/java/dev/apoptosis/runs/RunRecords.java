package dev.apoptosis.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.prune.StepRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one run directory holds, read back and checked: {@code run.json} (required, format
 * {@link RunDirectory#FORMAT} only), the step, epoch and fine-tuning records (each file optional: a
 * run killed early has written fewer) and {@code layers.json} (written when a prune run ends, so
 * null for an interrupted one). Any problem is a {@link RunFormatException} naming the file, and the
 * line for the {@code .jsonl} files.
 */
public record RunRecords(Path dir, RunInfo info, List<StepRecord> steps, List<EpochRecord> epochs, List<FinetuneRecord> finetune,
                         List<LayerRow> layers) {

    public RunRecords {
        steps = List.copyOf(steps);
        epochs = List.copyOf(epochs);
        finetune = List.copyOf(finetune);
        layers = layers == null ? null : List.copyOf(layers);
    }

    /** A name for the run in reports: its criterion (prune) or model (train), and its folder's name where that differs. */
    public String label() {
        String what = info.isPrune() ? info.criterion() : info.model();
        String folder = String.valueOf(dir.toAbsolutePath().normalize().getFileName());
        return folder.equals(what) ? what : what + " (" + folder + ")";
    }

    /** True for a prune run that stopped before its last step, or a training run before its last epoch. */
    public boolean interrupted() {
        if (info.isPrune()) return steps.size() < info.expectedSteps() || layers == null;
        String e = info.settings().get("epochs");
        return e != null && epochs.size() < Integer.parseInt(e);
    }

    /** Reads and checks the run directory {@code dir}. */
    public static RunRecords read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new RunFormatException(dir, "not a directory (expected a run directory written by train, prune or demo)");
        Path runFile = dir.resolve(RunDirectory.RUN);
        if (!Files.isRegularFile(runFile)) {
            throw new RunFormatException(runFile, "missing: a run directory starts with " + RunDirectory.RUN
                    + " (written by train --run-dir, prune --run-dir or demo)");
        }
        RunInfo info = readRunJson(runFile);
        List<StepRecord> steps = readLines(dir.resolve(RunDirectory.STEPS), StepRecord.class);
        for (int i = 0; i < steps.size(); i++) {
            StepRecord r = steps.get(i);
            if (r.step() < 1 || r.macs() <= 0 || r.params() <= 0) {
                throw new RunFormatException(dir.resolve(RunDirectory.STEPS), i + 1, "step " + r.step() + " with " + r.macs()
                        + " MACs and " + r.params() + " parameters: steps count from 1, costs are positive");
            }
        }
        List<EpochRecord> epochs = readLines(dir.resolve(RunDirectory.EPOCHS), EpochRecord.class);
        List<FinetuneRecord> finetune = readLines(dir.resolve(RunDirectory.FINETUNE), FinetuneRecord.class);
        List<LayerRow> layers = readLayers(dir.resolve(RunDirectory.LAYERS));
        if (info.isPrune() && steps.size() > info.expectedSteps()) {
            throw new RunFormatException(dir.resolve(RunDirectory.STEPS), steps.size() + " step records, but " + RunDirectory.RUN
                    + " announces " + info.targets().size() + " target(s) of " + info.steps() + " steps: records of two runs mixed?");
        }
        return new RunRecords(dir, info, steps, epochs, finetune, layers);
    }

    private static RunInfo readRunJson(Path file) throws IOException {
        JsonNode tree;
        try {
            tree = RunJson.MAPPER.readTree(readText(file));
        } catch (JsonProcessingException e) {
            throw new RunFormatException(file, "not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) throw new RunFormatException(file, "not a JSON object");
        JsonNode f = tree.get("format");
        if (f == null || !f.canConvertToInt()) throw new RunFormatException(file, "no \"format\" number");
        if (f.asInt() != RunDirectory.FORMAT) {
            throw new RunFormatException(file, "format " + f.asText() + " is not one this version reads (" + RunDirectory.FORMAT
                    + "): written by another version of apoptosis?");
        }
        RunInfo info;
        try {
            info = RunJson.MAPPER.treeToValue(tree, RunInfo.class);
        } catch (JsonProcessingException e) {
            throw new RunFormatException(file, "malformed: " + e.getOriginalMessage());
        }
        if (!info.isPrune() && !info.isTrain()) throw new RunFormatException(file, "command '" + info.command() + "': expected train or prune");
        if (info.isPrune() && (info.targets().isEmpty() || info.steps() < 1 || info.criterion() == null)) {
            throw new RunFormatException(file, "a prune run must name its criterion, targets and steps per target");
        }
        return info;
    }

    private static <T> List<T> readLines(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        List<String> lines = readText(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) throw new RunFormatException(file, i + 1, "blank line (one JSON object per line expected)");
            try {
                out.add(RunJson.MAPPER.readValue(line, type));
            } catch (JsonProcessingException e) {
                throw new RunFormatException(file, i + 1, "not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                throw new RunFormatException(file, i + 1, e.getMessage());
            }
        }
        return out;
    }

    private static List<LayerRow> readLayers(Path file) throws IOException {
        if (!Files.exists(file)) return null;
        try {
            JsonNode tree = RunJson.MAPPER.readTree(readText(file));
            if (tree == null || !tree.isObject()) throw new RunFormatException(file, "not a JSON object");
            JsonNode f = tree.get("format");
            if (f == null || f.asInt() != RunDirectory.FORMAT) {
                throw new RunFormatException(file, "format " + (f == null ? "missing" : f.asText()) + " is not one this version reads ("
                        + RunDirectory.FORMAT + ")");
            }
            JsonNode rows = tree.get("layers");
            if (rows == null || !rows.isArray()) throw new RunFormatException(file, "no \"layers\" array");
            List<LayerRow> out = new ArrayList<>();
            for (JsonNode r : rows) out.add(RunJson.MAPPER.treeToValue(r, LayerRow.class));
            return out;
        } catch (JsonProcessingException e) {
            throw new RunFormatException(file, "malformed: " + e.getOriginalMessage());
        }
    }

    /** Run records are small; anything larger is not one (and is refused before it is read). */
    static final long MAX_RECORD_BYTES = 64L << 20;

    /**
     * A record file's text, through the readers' shared rule (a regular file, so a FIFO cannot hang
     * the report) and a size bound checked before reading.
     */
    static String readText(Path file) throws IOException {
        long size = dev.apoptosis.io.InputFiles.requireRegular(file, problem -> new RunFormatException(file, problem));
        if (size > MAX_RECORD_BYTES) {
            throw new RunFormatException(file, size + " bytes; a run record holds at most " + MAX_RECORD_BYTES);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new RunFormatException(file, "not UTF-8 text");
        }
    }
}
