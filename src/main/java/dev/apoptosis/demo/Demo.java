package dev.apoptosis.demo;

import dev.apoptosis.BuildVersion;
import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.onnx.OnnxExport;
import dev.apoptosis.onnx.OnnxFile;
import dev.apoptosis.onnx.OnnxImport;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.prune.ModelCost;
import dev.apoptosis.prune.Pruner;
import dev.apoptosis.prune.StepRecord;
import dev.apoptosis.report.Report;
import dev.apoptosis.runs.EpochRecorder;
import dev.apoptosis.runs.FinetuneRecord;
import dev.apoptosis.runs.LayerRow;
import dev.apoptosis.runs.RunDirectory;
import dev.apoptosis.runs.RunInfo;
import dev.apoptosis.runs.RunRecords;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.EvalResult;
import dev.apoptosis.train.Evaluator;
import dev.apoptosis.train.TrainConfig;
import dev.apoptosis.train.TrainListener;
import dev.apoptosis.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The toolkit's main job on an embedded example, end to end: train a small CNN ({@code digits-cnn})
 * on the 8x8 digits bundled in the jar, prune it to a fraction of its MACs with each criterion
 * (OBA, and magnitude for contrast) from the same trained model, fine-tune each, export the first
 * criterion's model to ONNX and read it back, time inference dense against pruned, and draw the
 * report. Every run writes a run directory, so the report is the same as {@code report} would draw
 * from them. Deterministic for a seed (apart from the timings): the data order, initialisation,
 * calibration batches and fine-tuning are all seeded.
 *
 * <p>Layout of {@code out}: {@code dense.ckpt}, {@code <criterion>.ckpt} (pruned and fine-tuned),
 * {@code runs/train/}, {@code runs/<criterion>/}, {@code <criterion>.onnx}, {@code report.html},
 * {@code summary.md}.
 */
public final class Demo {
    public static final String MODEL = "digits-cnn";
    public static final String DATA = "digits-bundled";

    private final Path out;
    private final DemoSettings s;
    private final PrintStream log;
    private final Map<String, Path> files = new LinkedHashMap<>();

    public Demo(Path out, DemoSettings settings, PrintStream progress) {
        this.out = out;
        this.s = settings;
        this.log = progress;
    }

    public DemoResult run() throws IOException {
        long wall0 = System.nanoTime();
        double cpu0 = cpuSeconds();
        Files.createDirectories(out);
        int stages = 4 + s.criteria().size();
        int stage = 0;

        DataSplits data = DataSpec.parse(DATA).load();
        log.printf(Locale.ROOT, "[%d/%d] training %s on the bundled 8x8 digits (%,d training, %,d test images), %d epochs, seed %d%n",
                ++stage, stages, MODEL, data.train().size(), data.test().size(), s.trainEpochs(), s.seed());
        Graph dense = ModelZoo.build(MODEL, ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(s.width()).withSeed(s.seed()));
        Path denseFile = file("dense model", "dense.ckpt");
        Path trainDir = out.resolve("runs").resolve("train");
        TrainConfig trainCfg = TrainConfig.builder().epochs(s.trainEpochs()).batchSize(s.batch()).lr(s.lr()).momentum(0.9).weightDecay(5e-4)
                .seed(s.seed()).build();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.Meta.MODEL, MODEL);
        meta.put(Checkpoint.Meta.DATA, DATA);
        meta.put(Checkpoint.Meta.PROVENANCE, "apoptosis demo --seed " + s.seed() + ": trained from scratch");
        RunDirectory trainRun = RunDirectory.start(trainDir, new RunInfo(RunDirectory.FORMAT, "train", tool(), Instant.now().toString(), MODEL, DATA,
                null, trainCfg.toMap(), List.of(), 0, "model zoo", meta.get(Checkpoint.Meta.PROVENANCE), dense.macs(), dense.numParameters(),
                Double.NaN));
        files.put("training run", trainDir);
        new Trainer(dense, trainCfg, data, denseFile, meta).listener(new EpochRecorder(trainRun, epochLines("  "))).run();
        dense = Checkpoint.readGraph(denseFile);
        EvalResult denseEval = evaluate(dense, data);
        ModelCost denseCost = ModelCost.of(dense);
        log.printf(Locale.ROOT, "      dense: test top-1 %.1f%%, %,d MACs, %,d parameters%n", 100 * denseEval.top1(), denseCost.macs(), denseCost.params());

        List<DemoResult.Pruned> results = new ArrayList<>();
        Graph firstPruned = null;
        for (String criterion : s.criteria()) {
            log.printf(Locale.ROOT, "[%d/%d] pruning with %s to %.0f%% of the MACs in %d steps, then fine-tuning %d epochs%n", ++stage, stages,
                    criterion, 100 * s.targetMacs(), s.pruneSteps(), s.finetuneEpochs());
            DemoResult.Pruned p = prune(criterion, dense, denseEval, data);
            results.add(p);
            if (firstPruned == null) firstPruned = Checkpoint.readGraph(p.checkpoint());
        }

        log.printf(Locale.ROOT, "[%d/%d] exporting the %s model to ONNX and reading it back%n", ++stage, stages, s.criteria().get(0));
        DemoResult.OnnxCheck onnx = onnx(s.criteria().get(0), results.get(0).checkpoint(), firstPruned, data);

        log.printf(Locale.ROOT, "[%d/%d] timing inference: batches of %d, dense against %s-pruned, %d passes each%n", ++stage, stages,
                s.timingBatch(), s.criteria().get(0), s.timingReps());
        Tensor batch;
        try (DataLoader l = data.testLoader(s.timingBatch()); DataLoader.Epoch e = l.epoch(0)) {
            batch = e.next().images();
        }
        InferenceTiming timing = InferenceTiming.measure(dense, firstPruned, batch, s.timingReps());

        log.printf(Locale.ROOT, "[%d/%d] writing the report%n", ++stage, stages);
        List<Path> dirs = new ArrayList<>();
        dirs.add(trainDir);
        for (DemoResult.Pruned p : results) dirs.add(p.runDir());
        List<RunRecords> runs = Report.read(dirs);
        String markdown = Report.write(runs, file("report", "report.html"));
        Path md = file("summary", "summary.md");
        double wall = (System.nanoTime() - wall0) / 1e9, cpu = cpuSeconds() - cpu0;
        DemoResult r = new DemoResult(out, s, denseEval.top1(), denseCost.macs(), denseCost.params(), results, timing, onnx, files, wall, cpu);
        Files.writeString(md, DemoSummary.markdown(r, markdown), StandardCharsets.UTF_8);
        return r;
    }

    private DemoResult.Pruned prune(String criterion, Graph dense, EvalResult denseEval, DataSplits data) throws IOException {
        Path runDir = out.resolve("runs").resolve(criterion);
        Path ckpt = file(criterion + " model (pruned, fine-tuned)", criterion + ".ckpt");
        files.put(criterion + " run", runDir);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("criterion", criterion);
        settings.put("target_macs", Double.toString(s.targetMacs()));
        settings.put("steps", Integer.toString(s.pruneSteps()));
        settings.put("calib_batches", Integer.toString(s.calibBatches()));
        settings.put("batch", "64");
        settings.put("seed", Long.toString(s.seed()));
        settings.put("finetune_epochs", Integer.toString(s.finetuneEpochs()));
        settings.put("finetune_lr", Double.toString(s.finetuneLr()));
        String provenance = "apoptosis demo --seed " + s.seed() + ": pruned with " + criterion + " to " + s.targetMacs() + " of the MACs of "
                + out.resolve("dense.ckpt");
        ModelCost before = ModelCost.of(dense);
        RunDirectory run = RunDirectory.start(runDir, new RunInfo(RunDirectory.FORMAT, "prune", tool(), Instant.now().toString(), MODEL, DATA,
                criterion, settings, List.of(s.targetMacs()), s.pruneSteps(), out.resolve("dense.ckpt").toString(),
                "apoptosis demo --seed " + s.seed() + ": trained from scratch", before.macs(), before.keptParams(), denseEval.top1()));
        Pruner.Result r = Pruner.builder(dense, Criteria.create(criterion), data).targetMacs(s.targetMacs()).steps(s.pruneSteps())
                .calibrationBatches(s.calibBatches()).batchSize(64).seed(s.seed()).listener((step, model, steps) -> {
                    log.printf(Locale.ROOT, "  step %d/%d: %,d MACs (%.1f%%), %d channels removed, %.2f s%n", step.step(), steps, step.macs(),
                            100.0 * step.macs() / before.macs(), step.removed(),
                            step.importanceSeconds() + step.selectionSeconds() + step.surgerySeconds());
                    try {
                        run.appendStep(step);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot append to " + runDir.resolve(RunDirectory.STEPS) + ": " + e.getMessage(), e);
                    }
                }).build().run();
        Graph pruned = r.graph();
        EvalResult afterPruning = evaluate(pruned, data);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.Meta.MODEL, MODEL);
        meta.put(Checkpoint.Meta.DATA, DATA);
        meta.put(Checkpoint.Meta.PROVENANCE, provenance);
        // The keys 'info' reads for its pruning line (the prune command's names); no prune.settings, so that
        // 'prune --resume' refuses this file by name instead of resuming a run it did not start.
        meta.put("prune.history", history(r.steps()));
        meta.put("prune.base", before.macs() + "," + before.keptParams());
        meta.put("prune.step", Integer.toString(s.pruneSteps()));
        meta.put("prune.phase", "tuned");
        TrainConfig cfg = TrainConfig.builder().epochs(s.finetuneEpochs()).batchSize(s.batch()).lr(s.finetuneLr()).momentum(0.9)
                .weightDecay(1e-4).seed(s.seed()).build();
        new Trainer(pruned, cfg, data, ckpt, meta).listener(new EpochRecorder(run, epochLines("  fine-tune "))).run();
        Graph tuned = Checkpoint.readGraph(ckpt);
        EvalResult ft = evaluate(tuned, data);
        ModelCost after = ModelCost.of(tuned);
        run.appendFinetune(new FinetuneRecord(s.targetMacs(), afterPruning.top1(), ft.top1(), s.finetuneEpochs(), after.macs(), after.keptParams()));
        run.writeLayers(LayerRow.compare(dense, tuned));
        log.printf(Locale.ROOT, "      %s: top-1 %.1f%% after pruning, %.1f%% after fine-tuning; %,d MACs (%.1f%%), %,d parameters (%.1f%%)%n",
                criterion, 100 * afterPruning.top1(), 100 * ft.top1(), after.macs(), 100.0 * after.macs() / before.macs(), after.keptParams(),
                100.0 * after.keptParams() / before.keptParams());
        return new DemoResult.Pruned(criterion, afterPruning.top1(), ft.top1(), after.macs(), after.keptParams(), ckpt, runDir);
    }

    /**
     * Exports {@code model} (the checkpoint's metadata, pruning history included, as the file's metadata
     * properties), reads the file back with our own importer and compares both models' outputs on the
     * test split. A difference above {@link #ONNX_TOLERANCE} is an error naming the file: an export
     * that does not compute what the model computes must not pass as a result.
     */
    private DemoResult.OnnxCheck onnx(String criterion, Path checkpoint, Graph model, DataSplits data) throws IOException {
        Path file = file(criterion + " model as ONNX", criterion + ".onnx");
        OnnxFile.write(file, OnnxExport.toModel(model, Checkpoint.read(checkpoint).metadata(), OnnxExport.Options.defaults()));
        Graph back = OnnxImport.toGraph(OnnxFile.read(file), file).graph();
        double worst = 0;
        int n = 0;
        try (DataLoader l = data.testLoader(256); DataLoader.Epoch e = l.epoch(0)) {
            while (e.hasNext()) {
                Tensor x = e.next().images();
                float[] a = outputs(model, x), b = outputs(back, x);
                for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
                n += x.shape()[0];
            }
        }
        if (!(worst <= ONNX_TOLERANCE)) {
            throw new IllegalStateException(file + ": read back, its outputs differ from the model's by " + worst + " (tolerance "
                    + ONNX_TOLERANCE + ")");
        }
        log.printf(Locale.ROOT, "      %s: outputs on %d test images %s%n", file, n,
                worst == 0 ? "identical to the model's" : String.format(Locale.ROOT, "within %.2g of the model's", worst));
        return new DemoResult.OnnxCheck(file, worst, n);
    }

    /** Largest |difference| of a logit between the model and its ONNX export read back (float32 sums in another order). */
    static final double ONNX_TOLERANCE = 1e-4;

    private static float[] outputs(Graph g, Tensor x) {
        try (Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), x), Mode.EVAL, 0L, false)) {
            return p.output().toArray();
        }
    }

    private static String history(List<StepRecord> steps) {
        StringBuilder b = new StringBuilder();
        for (StepRecord r : steps) b.append(r.toJson()).append('\n');
        return b.toString();
    }

    private TrainListener epochLines(String prefix) {
        return new TrainListener() {
            @Override
            public void onEpoch(EpochEvent e) {
                log.printf(Locale.ROOT, "%sepoch %d/%d: train top-1 %.1f%%, test top-1 %.1f%%, %.1f s%n", prefix, e.epoch() + 1, e.epochs(),
                        100 * e.trainTop1(), e.test() == null ? Double.NaN : 100 * e.test().top1(), e.seconds());
            }
        };
    }

    private Path file(String label, String name) {
        Path p = out.resolve(name);
        files.put(label, p);
        return p;
    }

    private static EvalResult evaluate(Graph g, DataSplits data) {
        try (DataLoader l = data.testLoader(256)) {
            return Evaluator.evaluate(g, l);
        }
    }

    private static String tool() {
        return "apoptosis " + BuildVersion.version();
    }

    /** CPU time of this process, all threads (what the two cores spent on the demo, whatever else loads them). */
    static double cpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime() / 1e9;
        return Double.NaN;
    }
}
