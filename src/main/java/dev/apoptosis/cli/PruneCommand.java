package dev.apoptosis.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apoptosis.checkpoint.AtomicFile;
import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.CriterionOptions;
import dev.apoptosis.prune.ChannelScores;
import dev.apoptosis.prune.ModelCost;
import dev.apoptosis.prune.Pruner;
import dev.apoptosis.prune.Selector;
import dev.apoptosis.prune.StepRecord;
import dev.apoptosis.runs.FinetuneRecord;
import dev.apoptosis.runs.LayerRow;
import dev.apoptosis.runs.RunDirectory;
import dev.apoptosis.runs.RunInfo;
import dev.apoptosis.train.EvalResult;
import dev.apoptosis.train.Evaluator;
import dev.apoptosis.train.TrainConfig;
import dev.apoptosis.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apoptosis prune}: scores a trained model with an importance criterion and prunes it,
 * structured to a target of kept MACs or unstructured to a kept fraction of weights, step by step
 * on fresh calibration batches, then optionally fine-tunes. The output checkpoint is written after
 * every step (so {@code --resume} loses at most one step) and records the criterion, every setting
 * and the per-step history as provenance; {@code --run-dir} writes the same as JSON for reports.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Prune a trained checkpoint with an importance criterion (oba, exact, obd, taylor, magnitude), structured to a "
                + "target of kept MACs or unstructured to a kept fraction of weights, then fine-tune.")
public final class PruneCommand implements Callable<Integer> {
    static final String STEP = "prune.step";
    static final String SETTINGS = "prune.settings";
    static final String HISTORY = "prune.history";
    static final String BASE = "prune.base";
    static final String INITIAL = "prune.initial_channels";
    static final String SEGMENT = "prune.segment";
    static final String PHASE = "prune.phase";
    static final String LAYERS_BEFORE = "prune.layers_before";

    @Option(names = "--model", paramLabel = "FILE", description = "Trained checkpoint or ONNX model to prune.")
    Path model;
    @Option(names = "--resume", paramLabel = "FILE", description = "Continue an interrupted prune run from its output checkpoint.")
    Path resume;
    @Option(names = "--data", description = "Dataset spec (default: the one the checkpoint records).")
    String data;
    @Option(names = "--criterion", defaultValue = "oba", description = "oba, exact, obd, taylor or magnitude (default: ${DEFAULT-VALUE}).")
    String criterion;
    @Option(names = "--criterion-option", paramLabel = "KEY=VALUE", description = "Criterion option, repeatable: norm, delta0, "
            + "self_unit_weight, other_unit_weight, probes, seed, batchnorm.")
    List<String> criterionOptions = new ArrayList<>();
    @Option(names = "--target-macs", defaultValue = "0.5", split = ",", description = "Structured: fraction of MACs to keep "
            + "(default: ${DEFAULT-VALUE}); a decreasing list (0.6,0.4,0.2) prunes iteratively, fine-tuning and writing OUT-<target> at each.")
    List<Double> targetMacs;
    @Option(names = "--unstructured", description = "Prune single weights (masks) instead of channels.")
    boolean unstructured;
    @Option(names = "--keep", defaultValue = "0.5", split = ",", description = "Unstructured: fraction of Conv/Linear weights to keep "
            + "(default: ${DEFAULT-VALUE}); a decreasing list (0.5,0.2,0.1) prunes on from each fraction to the next and records each.")
    List<Double> keep;
    @Option(names = "--steps", description = "Pruning steps (default: 50 structured, 49 unstructured).")
    Integer steps;
    @Option(names = "--calib-batches", defaultValue = "200", description = "Calibration batches per step (default: ${DEFAULT-VALUE}).")
    int calibBatches;
    @Option(names = "--batch", defaultValue = "64", description = "Calibration and fine-tuning batch size (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--local", description = "Prune the same fraction of every group instead of ranking channels globally.")
    boolean local;
    @Option(names = "--max-ratio", defaultValue = "0.95", description = "Most a group may lose of its channels (default: ${DEFAULT-VALUE}).")
    double maxRatio;
    @Option(names = "--round-to", defaultValue = "1", description = "Keep channel counts multiples of this (default: ${DEFAULT-VALUE}).")
    int roundTo;
    @Option(names = "--heads", description = "Prune whole attention heads (and conv groups) instead of head widths.")
    boolean heads;
    @Option(names = "--reduction", defaultValue = "mean", description = "Member reduction: mean, sum, max (default: ${DEFAULT-VALUE}).")
    String reduction;
    @Option(names = "--normalizer", defaultValue = "max", description = "Group normaliser: max, mean, sum, none (default: ${DEFAULT-VALUE}).")
    String normalizer;
    @Option(names = "--noise-remedy", defaultValue = "drop", description = "Members scored at the noise floor (BatchNorm's ε with batch "
            + "statistics): drop (leave them out of the group mean; do not prune groups made only of them) or reference (as the "
            + "released code) (default: ${DEFAULT-VALUE}).")
    String noiseRemedy;
    @Option(names = "--recalibrate", defaultValue = "50", paramLabel = "N", description = "After pruning, re-estimate BatchNorm "
            + "running statistics with N training-mode forward passes (no weight change; default: ${DEFAULT-VALUE}; 0 leaves the dense "
            + "model's statistics, as the reference does). Changes the accuracy straight after pruning, not after fine-tuning.")
    int recalibrate;
    @Option(names = "--finetune-epochs", defaultValue = "0", description = "Fine-tuning epochs after pruning (default: ${DEFAULT-VALUE}).")
    int finetuneEpochs;
    @Option(names = "--finetune-lr", defaultValue = "0.001", description = "Fine-tuning learning rate (default: ${DEFAULT-VALUE}).")
    double finetuneLr;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of calibration order and fine-tuning (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", paramLabel = "FILE", description = "Pruned checkpoint (written after every step); FILE.onnx writes "
            + "ONNX at the end and keeps the steps' checkpoint beside it as FILE.ckpt (for --resume).")
    Path out;
    @Option(names = "--run-dir", paramLabel = "DIR", description = "Also write the run's records here for 'report' (run.json, "
            + "steps.jsonl, finetune.jsonl, layers.json; docs/run-directory.md); with --resume, the same folder continues.")
    Path runDir;
    @Option(names = "--progress", defaultValue = "auto", description = "Fine-tuning progress: auto, bar, lines or quiet (default: ${DEFAULT-VALUE}).")
    String progress;
    @Option(names = "--stop-after", paramLabel = "N", description = "Stop after N pruning steps of this invocation; --resume continues.")
    Integer stopAfter;
    @Option(names = "--overwrite", description = "Replace an existing --out file.")
    boolean overwrite;
    @Option(names = "--cluster", paramLabel = "MASTER", description = "Estimate importance and fine-tune on Apache Spark: "
            + "local[N] or spark://HOST:PORT. The scores and decisions equal those without it; fine-tuning is data-parallel SGD "
            + "(docs/cluster.md). Selection, surgery, evaluation and checkpoints stay here; --data must be readable at the same "
            + "path on every worker.")
    String cluster;
    @Option(names = "--cluster-timeout", defaultValue = "60", paramLabel = "SECONDS", description = "With --cluster: how long to "
            + "wait for the master and a first executor before giving up (default: ${DEFAULT-VALUE}).")
    int clusterTimeout;
    @Option(names = "--cluster-average-every", defaultValue = "1", paramLabel = "K", description = "With --cluster: fine-tune by "
            + "averaging gradients every step (1, the default: one process's SGD with the same batch) or, for K > 1, by averaging "
            + "parameters and momentum every K steps (local SGD: one Spark job per K steps; docs/cluster.md).")
    int averageEvery;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The data spec in use (for the cluster's executors, which load it themselves). */
    private String dataSpec;
    /** With --cluster: the session, opened at the first pruning step and closed when the command ends (no Spark type: see dev.apoptosis.cluster). */
    private dev.apoptosis.cluster.ClusterSession session;

    /** With {@code --out X.onnx}: the ONNX file written at the end (the steps go to X.ckpt). */
    private Path onnxOut;
    private RunDirectory records;

    @Override
    public Integer call() throws Exception {
        try {
            return prune();
        } finally {
            if (session != null) session.close();
        }
    }

    private Integer prune() throws Exception {
        Checkpoint source;
        Map<String, String> settings;
        int segment = 0, firstStep = 1;
        boolean tuned = false;
        List<StepRecord> history = new ArrayList<>();
        if (resume != null) {
            source = Checkpoint.read(resume);
            String s = source.metadata().get(SETTINGS);
            if (s == null) throw new IllegalArgumentException(resume + " is not the output of a prune run (no " + SETTINGS + ")");
            try {
                settings = JSON.readValue(s, new TypeReference<LinkedHashMap<String, String>>() {});
                apply(settings);
                segment = Integer.parseInt(source.metadata().getOrDefault(SEGMENT, "0"));
                firstStep = Integer.parseInt(meta(source, STEP)) + 1;
                for (String key : List.of(BASE, INITIAL)) meta(source, key);
            } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("--resume " + resume + ": not a usable prune state: " + e.getMessage(), e);
            }
            tuned = "tuned".equals(source.metadata().get(PHASE));
            for (String line : source.metadata().getOrDefault(HISTORY, "").split("\n")) if (!line.isBlank()) history.add(StepRecord.fromJson(line));
            if (out == null) out = resume;
        } else {
            if (model == null) throw new IllegalArgumentException("--model FILE is required (or --resume FILE)");
            if (out == null) throw new IllegalArgumentException("--out FILE is required");
            if (dev.apoptosis.onnx.ModelFiles.isOnnx(out)) {
                // The steps need a checkpoint to resume from; the ONNX file is written from it at the end.
                onnxOut = out;
                out = withExtension(out, ".ckpt");
                if (Files.exists(onnxOut) && !overwrite) throw new IllegalArgumentException(onnxOut + " exists; pass --overwrite to replace it");
                dev.apoptosis.io.OutputTarget.check(onnxOut);
            }
            if (Files.exists(out) && !overwrite) throw new IllegalArgumentException(out + " exists; pass --overwrite to replace it");
            dev.apoptosis.io.OutputTarget.check(out);           // before any work: a bad --out fails now, not after a step
            source = dev.apoptosis.onnx.ModelFiles.read(model);        // a checkpoint or an ONNX model
            settings = settings();
        }
        List<Double> targets = unstructured ? keep : targetMacs;
        for (int i = 1; i < targets.size(); i++) {
            if (!(targets.get(i) < targets.get(i - 1))) {
                throw new IllegalArgumentException((unstructured ? "--keep" : "--target-macs") + " must decrease, got " + targets);
            }
        }
        // Every choice is checked before any work (the first use is after a dense evaluation).
        choice(ChannelScores.Reduction.class, reduction, "--reduction");
        choice(ChannelScores.Normalizer.class, normalizer, "--normalizer");
        choice(ChannelScores.NoiseRemedy.class, noiseRemedy, "--noise-remedy");
        int k = steps != null ? steps : unstructured ? 49 : 50;
        if (cluster != null && clusterTimeout < 1) throw new IllegalArgumentException("--cluster-timeout must be >= 1 s, got " + clusterTimeout);
        if (averageEvery < 1) throw new IllegalArgumentException("--cluster-average-every must be >= 1, got " + averageEvery);
        if (averageEvery > 1 && cluster == null) {
            throw new IllegalArgumentException("--cluster-average-every " + averageEvery + " averages parameters across executors: it needs --cluster");
        }
        Criterion crit = criterion();
        Graph g = source.toGraph(resume != null ? resume : model);
        String spec = data != null ? data : source.metadata().get(Checkpoint.Meta.DATA);
        if (spec == null) throw new IllegalArgumentException("--data is required: the checkpoint does not record its dataset");
        DataSplits splits = TrainCommand.load(spec);
        dataSpec = spec;
        long baseMacs = resume != null ? Long.parseLong(source.metadata().get(BASE).split(",")[0]) : g.macs();
        long baseParams = resume != null ? Long.parseLong(source.metadata().get(BASE).split(",")[1]) : g.numParameters();
        Map<String, Integer> initial = resume != null
                ? JSON.readValue(source.metadata().get(INITIAL), new TypeReference<Map<String, Integer>>() {}) : Pruner.initialChannels(g);
        EvalResult dense = evaluate(g, splits);
        System.out.printf(Locale.ROOT, "prune: %s on %s, %,d MACs, %,d parameters, test %s%n", crit.name(), spec, g.macs(),
                g.numParameters(), dense);
        List<LayerRow> layersBefore = resume != null && source.metadata().containsKey(LAYERS_BEFORE)
                ? LayerRow.fromJson(source.metadata().get(LAYERS_BEFORE)) : LayerRow.of(g);
        if (runDir != null) {
            records = resume == null ? RunDirectory.start(runDir, runInfo(settings, source, spec, targets, k, crit, g, dense))
                    : RunDirectory.resume(runDir);
        }

        Map<String, String> meta = new LinkedHashMap<>(source.metadata());
        meta.put(SETTINGS, JSON.writeValueAsString(settings));
        meta.put(BASE, baseMacs + "," + baseParams);
        meta.put(INITIAL, JSON.writeValueAsString(initial));
        meta.put(LAYERS_BEFORE, LayerRow.toJson(layersBefore));
        meta.put(Checkpoint.Meta.PROVENANCE, "pruned with " + crit.name() + " from " + (model != null ? model : source.metadata()
                .getOrDefault(Checkpoint.Meta.PROVENANCE, "?")) + ": " + String.join(" ", settings.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty()).map(e -> e.getKey() + "=" + e.getValue()).toList()));
        Graph before = g;
        for (int seg = segment; seg < targets.size(); seg++) {
            double target = targets.get(seg);
            Path dest = targets.size() == 1 ? out : perTarget(out, target);
            meta.put(SEGMENT, Integer.toString(seg));
            if (!(seg == segment && tuned)) {
                int first = seg == segment ? firstStep : 1;
                int last = stopAfter == null ? k : Math.min(k, first + stopAfter - 1);
                if (last < k) {
                    pruneTo(g, target, first, last, k, crit, splits, baseMacs, baseParams, initial, meta, history, dest);
                    System.out.println("stopped after step " + last + " of " + k + "; continue with: prune --resume " + dest);
                    return 0;
                }
                g = pruneTo(g, target, first, k, k, crit, splits, baseMacs, baseParams, initial, meta, history, dest);
                if (recalibrate > 0 && dev.apoptosis.prune.Recalibration.applies(g)) {
                    int ran = dev.apoptosis.prune.Recalibration.run(g, splits, recalibrate, batch, seed);
                    System.out.printf(Locale.ROOT, "recalibrated BatchNorm statistics on %d batches%n", ran);
                }
                EvalResult after = evaluate(g, splits);
                System.out.print(unstructured ? dev.apoptosis.prune.SparsityTable.of(g).format() : layerTable(before, g));
                System.out.printf(Locale.ROOT, "pruned to %s: %,d MACs (%.1f%% of %,d), %,d of %,d parameters kept; test %s%n",
                        unstructured ? "keep " + target : "MACs " + target, g.macs(), 100.0 * g.macs() / baseMacs, baseMacs,
                        ModelCost.of(g).keptParams(), baseParams, after);
                meta.put("prune.top1_after_pruning", Double.toString(after.top1()));
                meta.put(Checkpoint.Meta.TOP1, Double.toString(after.top1()));
                meta.put(PHASE, "pruned");
                Checkpoint.of(g, meta, null, null).write(dest);
                if (finetuneEpochs > 0) {
                    TrainConfig cfg = TrainConfig.builder().epochs(finetuneEpochs).batchSize(batch).lr(finetuneLr).momentum(0.9)
                            .weightDecay(1e-4).seed(seed).build();
                    meta.put(PHASE, "tuned");
                    Trainer tuner = new Trainer(g, cfg, splits, dest, meta).listener(TrainCommand.progressBar(progress));
                    if (cluster != null && averageEvery == 1) tuner.computation(session().training(dataSpec, batch, seed, cfg.labelSmoothing()));
                    if (cluster != null && averageEvery > 1) {
                        tuner.rounds(session().localSgd(dataSpec, batch, seed, cfg.labelSmoothing(), cfg.sgd(), averageEvery));
                    }
                    tuner.run();
                    g = Checkpoint.readGraph(dest);
                    EvalResult ft = evaluate(g, splits);
                    System.out.printf(Locale.ROOT, "fine-tuned %d epochs: test %s%n", finetuneEpochs, ft);
                    if (records != null) {
                        records.appendFinetune(new FinetuneRecord(target, after.top1(), ft.top1(), finetuneEpochs, g.macs(),
                                ModelCost.of(g).keptParams()));
                    }
                } else {
                    meta.put(PHASE, "tuned");
                    Checkpoint.of(g, meta, null, null).write(dest);
                    if (records != null) {
                        records.appendFinetune(new FinetuneRecord(target, after.top1(), after.top1(), 0, g.macs(), ModelCost.of(g).keptParams()));
                    }
                }
                if (records != null && seg == targets.size() - 1) records.writeLayers(LayerRow.compare(layersBefore, g));
            } else {
                g = Checkpoint.readGraph(resume);
            }
            if (dest != out && seg == targets.size() - 1) Files.copy(dest, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("wrote " + dest);
        }
        if (onnxOut != null) {
            Checkpoint done = Checkpoint.read(out);
            dev.apoptosis.onnx.OnnxFile.write(onnxOut, dev.apoptosis.onnx.OnnxExport.toModel(done.toGraph(out), done.metadata(),
                    new dev.apoptosis.onnx.OnnxExport.Options(false, Map.of())));
            System.out.println("wrote " + onnxOut + " (ONNX, with the pruning provenance in its metadata; resume from " + out + ")");
        }
        return 0;
    }

    /** model.onnx and ".ckpt" give model.ckpt. */
    static Path withExtension(Path p, String ext) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return p.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ext);
    }

    /** One target's pruning steps from step {@code first}; the checkpoint {@code dest} is written after every step. */
    private Graph pruneTo(Graph g, double target, int first, int last, int k, Criterion crit, DataSplits splits, long baseMacs, long baseParams,
                          Map<String, Integer> initial, Map<String, String> meta, List<StepRecord> history, Path dest) {
        long t0 = System.nanoTime();
        Pruner.Listener listener = (r, current, total) -> {
            history.add(r);
            double el = (System.nanoTime() - t0) / 1e9;
            double eta = el / (r.step() - first + 1) * (total - r.step());
            System.err.printf(Locale.ROOT, "step %d/%d: %,d MACs (%.1f%% of base), %,d params kept, %d removed%s, %.1fs; ETA %s%n",
                    r.step(), total, r.macs(), 100.0 * r.macs() / baseMacs, r.keptParams(), r.removed(),
                    r.noiseGroups() > 0 ? ", " + r.noiseGroups() + " groups at the noise floor" : "",
                    r.importanceSeconds() + r.selectionSeconds() + r.surgerySeconds(), TrainCommand.formatSeconds(eta));
            meta.put(STEP, Integer.toString(r.step()));
            meta.put(PHASE, "pruning");
            meta.put(HISTORY, historyText(history));
            try {
                Checkpoint.of(current, meta, null, null).write(dest);
                if (records != null) records.replaceSteps(history);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + dest + ": " + e.getMessage(), e);
            }
        };
        Pruner.Builder pb = Pruner.builder(g, crit, splits);
        if (cluster != null) pb.estimation(session().estimation(splits, dataSpec, criterion, criterionOptions));
        if (unstructured) pb.keepWeights(target);
        else pb.targetMacs(target);
        return pb.steps(k).calibrationBatches(calibBatches).batchSize(batch).seed(seed)
                .selection(new Selector.Settings(local, maxRatio, roundTo, heads,
                        choice(ChannelScores.NoiseRemedy.class, noiseRemedy, "--noise-remedy")))
                .reduction(choice(ChannelScores.Reduction.class, reduction, "--reduction"))
                .normalizer(choice(ChannelScores.Normalizer.class, normalizer, "--normalizer"))
                .resumeAt(first, baseMacs, baseParams, initial).lastStep(last).listener(listener).build().run().graph();
    }

    /** The --cluster session, opened at first use (so a run that fails its checks never starts Spark). */
    private dev.apoptosis.cluster.ClusterSession session() {
        if (session == null) session = dev.apoptosis.cluster.Cluster.open(cluster, java.time.Duration.ofSeconds(clusterTimeout));
        return session;
    }

    /** The constant of {@code type} named by an option value, or an error listing the choices. */
    static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
        for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(value)) return e;
        throw new IllegalArgumentException(option + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + value + "'");
    }

    /** out.ckpt and target 0.4 give out-0.4.ckpt. */
    static Path perTarget(Path out, double target) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String t = String.format(Locale.ROOT, "%s", target);
        String n = dot > 0 ? name.substring(0, dot) + "-" + t + name.substring(dot) : name + "-" + t;
        return out.resolveSibling(n);
    }

    private Criterion criterion() {
        CriterionOptions.Builder b = CriterionOptions.builder();
        for (String kv : criterionOptions) b.set(kv);
        return Criteria.create(criterion, b.build());
    }

    private Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("criterion", criterion);
        s.put("criterion_options", String.join(";", criterionOptions));
        s.put("mode", unstructured ? "unstructured" : "structured");
        s.put("target_macs", String.join(",", targetMacs.stream().map(String::valueOf).toList()));
        s.put("keep", String.join(",", keep.stream().map(String::valueOf).toList()));
        s.put("steps", steps == null ? "" : Integer.toString(steps));
        s.put("calib_batches", Integer.toString(calibBatches));
        s.put("batch", Integer.toString(batch));
        s.put("local", Boolean.toString(local));
        s.put("max_ratio", Double.toString(maxRatio));
        s.put("round_to", Integer.toString(roundTo));
        s.put("heads", Boolean.toString(heads));
        s.put("reduction", reduction);
        s.put("normalizer", normalizer);
        s.put("noise_remedy", noiseRemedy);
        s.put("recalibrate", Integer.toString(recalibrate));
        s.put("seed", Long.toString(seed));
        s.put("data", data == null ? "" : data);
        return s;
    }

    /** A setting a resumed run needs; a checkpoint without it is not a prune run's state. */
    private String req(Map<String, String> s, String key) {
        String v = s.get(key);
        if (v == null) throw new IllegalArgumentException("setting '" + key + "' is missing");
        return v;
    }

    /** Metadata a resumed run needs, named when it is missing. */
    private static String meta(Checkpoint c, String key) {
        String v = c.metadata().get(key);
        if (v == null) throw new IllegalArgumentException("metadata '" + key + "' is missing");
        return v;
    }

    private void apply(Map<String, String> s) {
        criterion = req(s, "criterion");
        criterionOptions = req(s, "criterion_options").isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(req(s, "criterion_options").split(";")));
        unstructured = req(s, "mode").equals("unstructured");
        targetMacs = new ArrayList<>();
        for (String t : req(s, "target_macs").split(",")) targetMacs.add(Double.parseDouble(t));
        keep = new ArrayList<>();
        for (String t : req(s, "keep").split(",")) keep.add(Double.parseDouble(t));
        steps = req(s, "steps").isEmpty() ? null : Integer.valueOf(req(s, "steps"));
        calibBatches = Integer.parseInt(req(s, "calib_batches"));
        batch = Integer.parseInt(req(s, "batch"));
        local = Boolean.parseBoolean(req(s, "local"));
        maxRatio = Double.parseDouble(req(s, "max_ratio"));
        roundTo = Integer.parseInt(req(s, "round_to"));
        heads = Boolean.parseBoolean(req(s, "heads"));
        reduction = req(s, "reduction");
        normalizer = req(s, "normalizer");
        noiseRemedy = s.getOrDefault("noise_remedy", "drop");
        recalibrate = Integer.parseInt(s.getOrDefault("recalibrate", "0"));
        seed = Long.parseLong(req(s, "seed"));
        if (!req(s, "data").isEmpty() && data == null) data = req(s, "data");
    }

    private EvalResult evaluate(Graph g, DataSplits splits) {
        try (DataLoader l = splits.testLoader(256)) {
            return Evaluator.evaluate(g, l);
        }
    }

    /** Output channels (features) of every Conv/Linear before and after, with MACs. */
    static String layerTable(Graph before, Graph after) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-32s %9s %9s %16s %16s%n", "layer", "before", "after",
                "MACs before", "MACs after"));
        for (Node n : before.nodes()) {
            if (!n.op().has(OpProperty.PARAMETER_LAYER)) continue;
            Node m = after.node(n.name());
            b.append(String.format(Locale.ROOT, "%-32s %9d %9d %,16d %,16d%n", Terminal.safe(n.name()),
                    dev.apoptosis.prune.LayerWidth.outputChannels(n), dev.apoptosis.prune.LayerWidth.outputChannels(m), n.macs(), m.macs()));
        }
        return b.toString();
    }

    private static String historyText(List<StepRecord> h) {
        StringBuilder b = new StringBuilder();
        for (StepRecord r : h) b.append(r.toJson()).append('\n');
        return b.toString();
    }

    private RunInfo runInfo(Map<String, String> settings, Checkpoint source, String spec, List<Double> targets, int k, Criterion crit,
                            Graph g, EvalResult dense) {
        return new RunInfo(RunDirectory.FORMAT, "prune", "apoptosis " + dev.apoptosis.BuildVersion.version(),
                java.time.Instant.now().toString(), source.metadata().getOrDefault(Checkpoint.Meta.MODEL, g.name()), spec, crit.name(),
                settings, targets, k, model.toString(), source.metadata().getOrDefault(Checkpoint.Meta.PROVENANCE, ""), g.macs(),
                ModelCost.of(g).keptParams(), dense.top1());
    }
}
