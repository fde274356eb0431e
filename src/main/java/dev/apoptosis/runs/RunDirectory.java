package dev.apoptosis.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.apoptosis.checkpoint.AtomicFile;
import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.prune.StepRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one run directory as a run goes: {@code run.json} once at the start, one line per finished
 * step, epoch or fine-tuning in the {@code .jsonl} files, and {@code layers.json} when a prune run
 * ends. Every write replaces the whole file atomically ({@link AtomicFile}), so a run killed at any
 * moment leaves each file as it was after the last finished record, never half a line; the lines
 * written so far are kept here (and read back by {@link #resume}) for that. A directory that already
 * holds a {@code run.json} is refused on {@link #start}, so two runs never mix their records.
 */
public final class RunDirectory {
    /** The version of every file in a run directory; {@link RunRecords} refuses any other. */
    public static final int FORMAT = 1;
    public static final String RUN = "run.json";
    public static final String STEPS = "steps.jsonl";
    public static final String EPOCHS = "epochs.jsonl";
    public static final String FINETUNE = "finetune.jsonl";
    public static final String LAYERS = "layers.json";

    private final Path dir;
    /** Each .jsonl file's lines so far, so that an append rewrites the whole file atomically. */
    private final Map<String, List<String>> lines = new LinkedHashMap<>();

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** A new run: creates {@code dir} if needed and writes {@code run.json}; refuses a folder that holds a run. */
    public static RunDirectory start(Path dir, RunInfo info) throws IOException {
        if (info.format() != FORMAT) throw new IllegalArgumentException("run.json must be written in format " + FORMAT + ", got " + info.format());
        Files.createDirectories(dir);
        Path run = dir.resolve(RUN);
        if (Files.exists(run)) {
            throw new IllegalArgumentException("run directory " + dir + " already holds a run (" + run
                    + "); choose another folder or remove it");
        }
        byte[] bytes = (RunJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(run, os -> os.write(bytes));
        return new RunDirectory(dir);
    }

    /** Continues the run in {@code dir} (a resumed run): its records so far are read, and kept. */
    public static RunDirectory resume(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(RUN))) throw new RunFormatException(dir.resolve(RUN), "missing: nothing to resume in " + dir);
        RunDirectory d = new RunDirectory(dir);
        for (String name : List.of(STEPS, EPOCHS, FINETUNE)) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) d.lines.put(name, new java.util.ArrayList<>(RunRecords.readText(f).lines().toList()));
        }
        return d;
    }

    /** Replaces the step records with {@code history} (a resumed prune knows its whole history from its checkpoint). */
    public void replaceSteps(List<StepRecord> history) throws IOException {
        List<String> l = new java.util.ArrayList<>();
        for (StepRecord r : history) l.add(json(r));
        lines.put(STEPS, l);
        rewrite(STEPS);
    }

    public Path dir() {
        return dir;
    }

    public void appendStep(StepRecord r) throws IOException {
        append(STEPS, r);
    }

    public void appendEpoch(EpochRecord r) throws IOException {
        append(EPOCHS, r);
    }

    public void appendFinetune(FinetuneRecord r) throws IOException {
        append(FINETUNE, r);
    }

    /** {@code layers.json}: the per-layer table of the model before and after pruning. */
    public void writeLayers(List<LayerRow> rows) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("layers", rows);
        byte[] bytes = (RunJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(dir.resolve(LAYERS), os -> os.write(bytes));
    }

    private void append(String name, Object record) throws IOException {
        lines.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(json(record));
        rewrite(name);
    }

    private void rewrite(String name) throws IOException {
        byte[] bytes = (String.join("\n", lines.get(name)) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(dir.resolve(name), os -> os.write(bytes));
    }

    private static String json(Object record) {
        try {
            return RunJson.MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
