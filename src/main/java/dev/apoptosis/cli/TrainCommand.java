package dev.apoptosis.cli;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.io.OutputTarget;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.train.LrSchedule;
import dev.apoptosis.train.ProgressBar;
import dev.apoptosis.runs.EpochRecorder;
import dev.apoptosis.runs.RunDirectory;
import dev.apoptosis.runs.RunInfo;
import dev.apoptosis.train.TrainConfig;
import dev.apoptosis.train.TrainListener;
import dev.apoptosis.train.TrainResult;
import dev.apoptosis.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apoptosis train}: trains a zoo model on a dataset with SGD, checkpointing every epoch to
 * {@code --out}; {@code --resume FILE} continues an interrupted run with its stored settings.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model from the zoo with SGD; a checkpoint is written atomically after every epoch.",
                "Resume an interrupted run with --resume FILE (same data order, bit-identical result)."})
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "Model: ${COMPLETION-CANDIDATES}.", completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--data", paramLabel = "SPEC", description = "Dataset: digits, mnist, fashion-mnist, cifar10, cifar10-bin:DIR, cifar100-bin:DIR, idx:DIR, folder:DIR.")
    String data;

    @Option(names = "--out", paramLabel = "FILE", description = "Checkpoint file to write (default with --resume: the resumed file).")
    Path out;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue the run saved in this checkpoint.")
    Path resume;

    @Option(names = "--init", paramLabel = "FILE", description = "Fine-tune: start a new run from the architecture, weights and "
            + "BatchNorm statistics in this checkpoint (or ONNX model, .onnx), with a fresh optimiser and schedule (instead of --model).")
    Path init;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.1", description = "Base learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--wd", defaultValue = "5e-4", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double wd;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, multistep or constant (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--milestones", split = ",", paramLabel = "E1,E2", description = "Multistep: epochs at which lr is multiplied by --gamma.")
    int[] milestones = new int[0];

    @Option(names = "--gamma", defaultValue = "0.1", description = "Multistep decay factor (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--min-lr", defaultValue = "0", description = "Cosine: final learning rate (default: ${DEFAULT-VALUE}).")
    double minLr;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "EPOCHS", description = "Linear warm-up epochs (fractions allowed; default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation, data order and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "0", description = "Also checkpoint every K batches (default: only at epoch ends).")
    int checkpointEvery;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Cross-entropy label smoothing (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--width", defaultValue = "0", description = "Model width (model-specific; 0 = the model's default).")
    int width;

    @Option(names = "--overwrite", description = "Allow --out to replace an existing file when not resuming.")
    boolean overwrite;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Also write the run's records here for 'report' (run.json, "
            + "epochs.jsonl; docs/run-directory.md); with --resume, the same folder continues.")
    Path runDir;

    @Option(names = "--progress", defaultValue = "auto", description = "auto, bar, lines or quiet (default: ${DEFAULT-VALUE}).")
    String progress;

    /** The training options that a resumed run takes from its checkpoint (option name without dashes). */
    private static final List<String> STORED = List.of("epochs", "batch", "lr", "momentum", "nesterov", "wd", "schedule",
            "milestones", "gamma", "min-lr", "warmup", "seed", "checkpoint-every", "label-smoothing");

    @Override
    public Integer call() throws IOException {
        ProgressBar bar = progressBar();
        Trainer trainer;
        if (resume != null) {
            if (init != null) throw new IllegalArgumentException("--init cannot be combined with --resume: --resume continues a run, "
                    + "--init starts a new one from a checkpoint's weights");
            trainer = resumed();
        } else {
            trainer = fresh();
        }
        TrainListener listener = bar;
        if (runDir != null) {
            RunDirectory records = resume != null ? RunDirectory.resume(runDir) : RunDirectory.start(runDir, runInfo(trainer));
            listener = new EpochRecorder(records, bar);
        }
        TrainResult r = trainer.listener(listener).run();
        // On stderr with the progress it concludes: stdout and a filtered stderr could interleave out of order.
        System.err.printf(Locale.ROOT, "done: %d epochs in %s; final test %s; checkpoint %s%n", r.epochs(),
                formatSeconds(r.seconds()), r.test() == null ? "(no test set)" : r.test().toString(), r.checkpoint());
        return 0;
    }

    /** A new run: from the model zoo, or with {@code --init} from a checkpoint's architecture and weights. */
    private Trainer fresh() throws IOException {
        if (init != null && model != null) throw new IllegalArgumentException("--model cannot be combined with --init: "
                + "the checkpoint " + init + " holds the architecture");
        if (init != null && width > 0) throw new IllegalArgumentException("--width cannot be combined with --init: "
                + "the checkpoint " + init + " holds the architecture");
        Checkpoint start = init != null ? dev.apoptosis.onnx.ModelFiles.read(init) : null;
        String dataSpec = data != null || start == null ? data : start.metadata().get(Checkpoint.Meta.DATA);
        if (init == null && model == null) throw new IllegalArgumentException("--model is required (or --resume FILE, or --init FILE); known models: "
                + String.join(", ", ModelZoo.entries().keySet()));
        if (dataSpec == null) throw new IllegalArgumentException("--data is required (or --resume FILE)"
                + (init != null ? "; " + init + " does not record its dataset" : ""));
        if (out == null) throw new IllegalArgumentException("--out FILE is required: where to write the checkpoint");
        if (java.nio.file.Files.exists(out) && !overwrite) {
            throw new IllegalArgumentException("--out " + out + " already exists: continue it with --resume " + out
                    + ", or pass --overwrite to start a new run over it");
        }
        OutputTarget.check(out); // before any data is loaded or any batch is run
        TrainConfig cfg = new TrainConfig(epochs, batch, lr, momentum, nesterov, wd, parseSchedule(), milestones, gamma,
                minLr, warmup, seed, checkpointEvery, labelSmoothing);
        DataSplits splits = load(dataSpec);
        int[] shape;
        try (dev.apoptosis.data.DataLoader probe = splits.trainLoader(cfg.batchSize(), cfg.seed())) {
            shape = probe.sampleShape();
        }
        Graph g;
        String modelName, widthText, provenance;
        if (start != null) {
            g = start.toGraph(init);
            modelName = start.metadata().getOrDefault(Checkpoint.Meta.MODEL, g.name());
            widthText = start.metadata().get("width");
            provenance = start.metadata().getOrDefault(Checkpoint.Meta.PROVENANCE, "?")
                    + "; then fine-tuned from " + init + ": " + commandLine();
        } else {
            g = ModelZoo.build(model, new ModelOptions(splits.train().numClasses(), shape, width, seed));
            modelName = model;
            widthText = width > 0 ? Integer.toString(width) : null;
            provenance = "trained from scratch: " + commandLine();
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.Meta.MODEL, modelName);
        meta.put(Checkpoint.Meta.DATA, dataSpec);
        if (widthText != null) meta.put("width", widthText);
        meta.put(Checkpoint.Meta.PROVENANCE, provenance);
        Trainer trainer = new Trainer(g, cfg, splits, out, meta);
        System.err.printf(Locale.ROOT, "training %s (%,d parameters, %,d MACs per sample) on %s%s: %s%n", Terminal.safe(modelName),
                g.numParameters(), g.macs(), Terminal.safe(dataSpec), start != null ? " from " + init : "", cfg.toMap());
        return trainer;
    }

    private RunInfo runInfo(Trainer t) {
        Map<String, String> meta = t.metadata();
        Graph g = t.graph();
        return new RunInfo(RunDirectory.FORMAT, "train", "apoptosis " + dev.apoptosis.BuildVersion.version(), java.time.Instant.now().toString(),
                meta.getOrDefault(Checkpoint.Meta.MODEL, g.name()), meta.get(Checkpoint.Meta.DATA), null, t.config().toMap(), List.of(), 0,
                init != null ? init.toString() : "model zoo", meta.getOrDefault(Checkpoint.Meta.PROVENANCE, ""), g.macs(), g.numParameters(),
                Double.NaN);
    }

    private Trainer resumed() throws IOException {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        if (pr.hasMatchedOption("--model")) throw new IllegalArgumentException("--model cannot be combined with --resume: the checkpoint holds the architecture");
        if (pr.hasMatchedOption("--width")) throw new IllegalArgumentException("--width cannot be combined with --resume: the checkpoint holds the architecture");
        Checkpoint c = Checkpoint.read(resume);
        if (c.progress() == null) {
            throw new IllegalArgumentException("--resume " + resume + ": this checkpoint holds no training state (it was not written by 'train')");
        }
        Map<String, String> stored = c.progress().config();
        for (String name : STORED) {
            if (!pr.hasMatchedOption("--" + name)) continue;
            String have = stored.get(name);
            if (have == null || !sameSetting(name, have)) {
                throw new IllegalArgumentException("--" + name + " " + String.join(",", pr.matchedOption("--" + name).stringValues())
                        + " differs from the resumed run's setting " + have + "; a resumed run keeps the settings stored in " + resume);
            }
        }
        String spec = data != null ? data : c.metadata().get(Checkpoint.Meta.DATA);
        if (spec == null) throw new IllegalArgumentException("--data is required: " + resume + " does not record its dataset");
        Path target = out != null ? out : resume;
        OutputTarget.check(target);
        Checkpoint withProv = c.withMetadata(Checkpoint.Meta.PROVENANCE,
                c.metadata().getOrDefault(Checkpoint.Meta.PROVENANCE, "?") + "; resumed " + c.progress().where()
                        + ": " + commandLine());
        return Trainer.resume(withProv, resume, load(spec), target);
    }

    /** True if the stored text of setting {@code name} means the value given on this command line. */
    private boolean sameSetting(String name, String stored) {
        try {
            return switch (name) {
                case "epochs" -> Integer.parseInt(stored) == epochs;
                case "batch" -> Integer.parseInt(stored) == batch;
                case "lr" -> Double.parseDouble(stored) == lr;
                case "momentum" -> Double.parseDouble(stored) == momentum;
                case "nesterov" -> Boolean.parseBoolean(stored) == nesterov;
                case "wd" -> Double.parseDouble(stored) == wd;
                case "schedule" -> LrSchedule.Kind.parse(stored) == parseSchedule();
                case "milestones" -> java.util.Arrays.equals(stored.isEmpty() ? new int[0]
                        : java.util.Arrays.stream(stored.split(",")).mapToInt(Integer::parseInt).toArray(), milestones);
                case "gamma" -> Double.parseDouble(stored) == gamma;
                case "min-lr" -> Double.parseDouble(stored) == minLr;
                case "warmup" -> Double.parseDouble(stored) == warmup;
                case "seed" -> Long.parseLong(stored) == seed;
                case "checkpoint-every" -> Integer.parseInt(stored) == checkpointEvery;
                case "label-smoothing" -> Double.parseDouble(stored) == labelSmoothing;
                default -> false;
            };
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private LrSchedule.Kind parseSchedule() {
        try {
            return LrSchedule.Kind.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule: " + e.getMessage());
        }
    }

    private ProgressBar progressBar() {
        return progressBar(progress);
    }

    /** The progress display named by a --progress value: auto, bar, lines or quiet. */
    static ProgressBar progressBar(String progress) {
        return switch (progress.toLowerCase(Locale.ROOT)) {
            case "auto" -> ProgressBar.auto();
            case "bar" -> new ProgressBar(System.err, ProgressBar.Style.BAR, 30, System::nanoTime);
            case "lines" -> new ProgressBar(System.err, ProgressBar.Style.LINES, 30, System::nanoTime);
            case "quiet" -> new ProgressBar(System.err, ProgressBar.Style.QUIET, 30, System::nanoTime);
            default -> throw new IllegalArgumentException("--progress must be auto, bar, lines or quiet, got '" + progress + "'");
        };
    }

    static DataSplits load(String spec) throws IOException {
        return DataSpec.parse(spec).load();
    }

    private String commandLine() {
        // originalArgs() holds the whole command line, subcommand name included.
        return "apoptosis " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    static String formatSeconds(double s) {
        long t = Math.round(s);
        return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
    }

    /** Model names for the help text. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelZoo.entries().keySet().iterator();
        }
    }
}
