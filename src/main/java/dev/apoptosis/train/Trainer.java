package dev.apoptosis.train;

import dev.apoptosis.BuildVersion;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.checkpoint.CheckpointException;
import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.checkpoint.EpochSoFar;
import dev.apoptosis.checkpoint.TrainingProgress;
import dev.apoptosis.data.Batch;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.data.Seeds;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.io.OutputTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a classifier with SGD: for each epoch, each batch of the (seeded, shuffled) training loader
 * goes through a {@link Mode#TRAIN} forward pass, softmax cross-entropy, a backward pass and an
 * {@link Sgd} step at the schedule's learning rate; then the test split is evaluated and a checkpoint
 * written.
 *
 * <p><b>Checkpoints and resuming.</b> At the end of every epoch (and every
 * {@link TrainConfig#checkpointEvery()} batches if set) the model, the optimiser's momentum buffers,
 * the position (next epoch and batch) and the run's settings are written atomically to one file.
 * {@link #resume} continues from such a file: the data loader derives its order and augmentation
 * from (seed, epoch) and the schedule and Dropout from the step count, so a resumed run computes
 * exactly what an uninterrupted one would (bit-identical weights).
 *
 * <p><b>Divergence.</b> A NaN or infinite loss or gradient stops the run with a
 * {@link NonFiniteException} before the optimiser step, naming where it happened and the last good
 * checkpoint, which is never overwritten by a diverged state.
 */
public final class Trainer {
    /** The tool recorded in checkpoints: "apoptosis " and this build's {@link BuildVersion}. */
    public static final String TOOL = "apoptosis " + BuildVersion.version();
    private static final long DROPOUT_STREAM = 0x44524f50L;

    private final Graph graph;
    private final TrainConfig config;
    private final DataSplits data;
    private final Path checkpointFile;
    private final Map<String, String> metadata;
    private final Sgd sgd;
    private final String inputName;
    private int startEpoch;
    private int startBatch;
    /** The figures of the epoch a resumed run starts inside (NONE at an epoch boundary). */
    private EpochSoFar startFigures = EpochSoFar.NONE;
    private final List<EpochRecord> history = new ArrayList<>();
    private TrainListener listener = TrainListener.NONE;
    private StepComputation computation = new LocalStep();
    /** With local SGD: rounds of K steps (then {@link #computation} is not used). */
    private RoundComputation rounds;
    private Path lastGood;
    private String lastGoodWhere;

    /**
     * A run from scratch of {@code graph} on {@code data}, checkpointing to {@code checkpointFile}.
     * {@code metadata} (model name, data spec, provenance...) is copied into every checkpoint.
     */
    public Trainer(Graph graph, TrainConfig config, DataSplits data, Path checkpointFile, Map<String, String> metadata) {
        this.graph = graph;
        this.config = config;
        this.data = data;
        this.checkpointFile = checkpointFile;
        this.metadata = new LinkedHashMap<>(metadata);
        // What the model expects of its inputs and means by its outputs: recorded (and a class name that
        // cannot be recorded refused) before any training, not at the first checkpoint.
        InputNormalization.record(data.normalization(), this.metadata);
        ClassNames.record(data.train().classNames(), this.metadata, "data '" + data.name() + "'");
        this.sgd = new Sgd(graph, config.sgd());
        if (graph.inputs().size() != 1) throw new IllegalArgumentException("train: model '" + graph.name() + "' must have exactly one input");
        this.inputName = graph.inputs().get(0).name();
        checkCompatible();
        ClassCoverage.check(data.train(), data.name());
    }

    /**
     * A run continuing from checkpoint {@code c} (read from {@code from}): its architecture, values,
     * optimiser state, position and settings. Writes further checkpoints to {@code checkpointFile}.
     */
    public static Trainer resume(Checkpoint c, Path from, DataSplits data, Path checkpointFile) throws CheckpointException {
        if (c.progress() == null || c.optimizer() == null) {
            throw new CheckpointException(from, "holds no training state (not written by a training run), so it cannot be resumed");
        }
        TrainConfig cfg;
        Graph g;
        try {
            cfg = TrainConfig.fromMap(c.progress().config());
            g = c.toGraph();
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(from, e.getMessage(), e);
        }
        Trainer t = new Trainer(g, cfg, data, checkpointFile, c.metadata());
        try {
            t.sgd.loadState(c.optimizer());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(from, e.getMessage(), e);
        }
        int bpe;
        try (DataLoader probe = data.trainLoader(cfg.batchSize(), cfg.seed())) {
            bpe = probe.batchesPerEpoch();
        }
        if (c.progress().batch() > bpe) {
            throw new CheckpointException(from, "was saved at batch " + c.progress().batch() + " of an epoch, but this data has "
                    + bpe + " batches per epoch");
        }
        long expectedSteps = (long) c.progress().epoch() * bpe + c.progress().batch();
        if (c.optimizer().step() != expectedSteps) {
            throw new CheckpointException(from, "optimiser has taken " + c.optimizer().step() + " steps but epoch "
                    + c.progress().epoch() + " batch " + c.progress().batch() + " at " + bpe + " batches per epoch means "
                    + expectedSteps + ": is this the same dataset and batch size?");
        }
        t.startEpoch = c.progress().epoch();
        t.startBatch = c.progress().batch();
        t.startFigures = c.progress().current();
        t.history.addAll(c.progress().history());
        t.lastGood = from;
        t.lastGoodWhere = c.progress().where();
        return t;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return java.nio.file.Files.exists(b) && java.nio.file.Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private void checkCompatible() {
        int[] in = graph.inputs().get(0).outputShape();
        int[] ds = data.train().sampleShape();
        int[] loaded;
        try (DataLoader probe = data.trainLoader(config.batchSize(), config.seed())) {
            loaded = probe.sampleShape();
        }
        if (!Arrays.equals(in, loaded)) {
            throw new IllegalArgumentException("model '" + graph.name() + "' takes input " + Arrays.toString(in) + " but data '"
                    + data.name() + "' gives samples of shape " + Arrays.toString(loaded)
                    + (Arrays.equals(ds, loaded) ? "" : " (stored " + Arrays.toString(ds) + ")"));
        }
        if (data.test() != null && data.test().size() > 0) {
            int[] test;
            try (DataLoader probe = data.testLoader(config.batchSize())) {
                test = probe.sampleShape();
            }
            if (!Arrays.equals(in, test)) {
                throw new IllegalArgumentException("model '" + graph.name() + "' takes input " + Arrays.toString(in) + " but the test split "
                        + data.test().name() + " of data '" + data.name() + "' gives samples of shape " + Arrays.toString(test));
            }
            if (data.test().numClasses() != data.train().numClasses()) {
                throw new IllegalArgumentException("data '" + data.name() + "': the training split has " + data.train().numClasses()
                        + " classes but the test split " + data.test().name() + " has " + data.test().numClasses());
            }
        }
        int[] out = graph.output().outputShape();
        if (out.length != 1 || out[0] != data.train().numClasses()) {
            throw new IllegalArgumentException("model '" + graph.name() + "' outputs " + Arrays.toString(out) + " but data '"
                    + data.name() + "' has " + data.train().numClasses() + " classes");
        }
    }

    public Trainer listener(TrainListener l) {
        this.listener = l;
        return this;
    }

    /** Where the steps' gradients are computed (default: {@link LocalStep}, in this process). */
    public Trainer computation(StepComputation c) {
        if (rounds != null) throw new IllegalStateException("this Trainer takes its steps in rounds already: a step computation would not be used");
        this.computation = java.util.Objects.requireNonNull(c);
        return this;
    }

    /**
     * Takes steps a round of K batches at a time instead (local SGD; see {@link RoundComputation}).
     * Checkpoints fall between rounds, so {@code checkpointEvery} must be a multiple of K, and a run
     * resumed mid-epoch must resume at a round's start.
     */
    public Trainer rounds(RoundComputation r) {
        int k = r.period();
        if (k < 1) throw new IllegalArgumentException("rounds of " + k + " steps");
        if (!(computation instanceof LocalStep)) {
            throw new IllegalStateException("this Trainer has a step computation already: rounds would leave it unused");
        }
        if (config.checkpointEvery() > 0 && config.checkpointEvery() % k != 0) {
            throw new IllegalArgumentException("checkpoints every " + config.checkpointEvery() + " batches fall inside rounds of " + k
                    + " (local SGD averages parameters only between rounds): use a multiple of " + k);
        }
        if (startBatch % k != 0) {
            throw new IllegalArgumentException("the run resumes at batch " + startBatch + ", inside a round of " + k + " batches");
        }
        this.rounds = r;
        return this;
    }

    public Graph graph() {
        return graph;
    }

    /** The metadata every checkpoint of this run carries (a copy). */
    public Map<String, String> metadata() {
        return new LinkedHashMap<>(metadata);
    }

    public TrainConfig config() {
        return config;
    }

    /** Runs the remaining epochs; returns when all are done. */
    public TrainResult run() throws IOException {
        long runStart = System.nanoTime();
        OutputTarget.check(checkpointFile); // a path that cannot be written fails now, not at the end of the first epoch
        SoftmaxCrossEntropy lossFn = new SoftmaxCrossEntropy(config.labelSmoothing());
        EvalResult test = null;
        double trainLoss = Double.NaN, trainTop1 = Double.NaN;
        try (DataLoader train = data.trainLoader(config.batchSize(), config.seed());
             DataLoader testLoader = data.testLoader(config.batchSize())) {
            int bpe = train.batchesPerEpoch();
            if (bpe < 1) {
                throw new IllegalArgumentException("data '" + data.name() + "' has " + data.train().size()
                        + " training samples: fewer than one batch of " + config.batchSize());
            }
            LrSchedule schedule = config.lrSchedule(bpe);
            listener.onStart(startEpoch, startBatch, config.epochs(), bpe);
            for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                int first = epoch == startEpoch ? startBatch : 0;
                EpochSoFar before = epoch == startEpoch ? startFigures : EpochSoFar.NONE;
                Accuracy running = Accuracy.resumed(before);
                long t0 = System.nanoTime();
                int timed = 0;
                try (DataLoader.Epoch it = train.epoch(epoch, first)) {
                    while (it.hasNext()) {
                        // A round is one batch, or with a RoundComputation up to K batches ending at a multiple of K.
                        List<Batch> round = new ArrayList<>(List.of(it.next()));
                        int k = rounds == null ? 1 : rounds.period();
                        while ((round.get(round.size() - 1).index() + 1) % k != 0 && it.hasNext()) round.add(it.next());
                        double[] lrs = new double[round.size()];
                        for (int i = 0; i < lrs.length; i++) lrs[i] = schedule.at(sgd.steps() + i);
                        double[] losses = rounds == null ? new double[] {step(round.get(0), lrs[0], lossFn, running, epoch)}
                                : round(round, lrs, lossFn, running, epoch);
                        for (int i = 0; i < round.size(); i++) {
                            Batch b = round.get(i);
                            timed++;
                            double seconds = (System.nanoTime() - t0) / 1e9;
                            listener.onBatch(new TrainListener.BatchEvent(epoch, config.epochs(), b.index(), bpe, losses[i],
                                    running.loss(), running.top1(), lrs[i], timed, running.samples() - before.samples(), seconds));
                            int next = b.index() + 1;
                            if (config.checkpointEvery() > 0 && next % config.checkpointEvery() == 0 && next < bpe) {
                                save(epoch, next, null, running.soFar(before.seconds() + seconds));
                            }
                        }
                    }
                }
                trainLoss = running.loss();
                trainTop1 = running.top1();
                test = data.test() == null || data.test().size() == 0 ? null : evaluateTest(testLoader, epoch, schedule);
                double seconds = before.seconds() + (System.nanoTime() - t0) / 1e9;
                history.add(new EpochRecord(epoch + 1, trainLoss, trainTop1, test == null ? Double.NaN : test.loss(),
                        test == null ? Double.NaN : test.top1(), test == null ? Double.NaN : test.top5(), seconds));
                save(epoch + 1, 0, test, EpochSoFar.NONE);
                listener.onEpoch(new TrainListener.EpochEvent(epoch, config.epochs(), trainLoss, trainTop1, test,
                        seconds, checkpointFile));
            }
            if (startEpoch >= config.epochs()) {
                // Resumed a finished run: report where it stands, and if asked to write elsewhere, write it there
                // (the same state; a command that names a checkpoint must leave one).
                if (data.test() != null && data.test().size() > 0) test = evaluateTest(testLoader, startEpoch - 1, schedule);
                if (lastGood == null || !sameFile(lastGood, checkpointFile)) save(startEpoch, 0, test, EpochSoFar.NONE);
            }
        }
        return new TrainResult(config.epochs(), trainLoss, trainTop1, test, (System.nanoTime() - runStart) / 1e9, checkpointFile);
    }

    /**
     * The test split's figures after {@code epoch}; non-finite outputs mean the weights the last steps
     * produced are not usable, which is divergence like a non-finite loss (and nothing is checkpointed).
     */
    private EvalResult evaluateTest(DataLoader testLoader, int epoch, LrSchedule schedule) {
        try {
            return Evaluator.evaluate(graph, testLoader);
        } catch (NonFiniteException e) {
            long step = sgd.steps();
            throw diverged("evaluating the test split after the epoch: " + e.getMessage(), epoch, -1, step,
                    schedule.at(Math.max(0, step - 1)), true);
        }
    }

    /** One SGD step on one batch; returns the batch loss. Throws before updating if anything is not finite. */
    private double step(Batch b, double lr, SoftmaxCrossEntropy lossFn, Accuracy running, int epoch) {
        long step = sgd.steps();
        StepComputation.Result r = computation.compute(graph, b, lossFn, Seeds.derive(config.seed(), DROPOUT_STREAM, step));
        double loss = r.loss();
        if (!Double.isFinite(loss)) throw diverged("loss is " + loss, epoch, b.index(), step, lr, false);
        ParamVector grad = r.gradient();
        String bad = NumericGuard.firstNonFinite(grad);
        if (bad != null) throw diverged("gradient of " + bad + " is not finite (loss " + loss + ")", epoch, b.index(), step, lr, false);
        try {
            running.add(r.output(), b.labels(), loss);
        } catch (NonFiniteException e) {
            throw diverged(e.getMessage(), epoch, b.index(), step, lr, false);
        }
        sgd.step(grad, lr);
        // Finite gradients times a huge learning rate can still overflow a weight to infinity.
        String blown = NumericGuard.firstNonFiniteValue(graph.parameters());
        if (blown != null) {
            throw diverged("the update made " + blown + " non-finite (loss " + loss + ")", epoch, b.index(), step, lr, true);
        }
        return loss;
    }

    /**
     * One round of a {@link RoundComputation}: the parameters move once, at its end; then every batch's
     * loss and logits are checked and counted, and the averaged weights checked. Returns the losses.
     */
    private double[] round(List<Batch> batches, double[] lrs, SoftmaxCrossEntropy lossFn, Accuracy running, int epoch) {
        long first = sgd.steps();
        long[] seeds = new long[batches.size()];
        for (int i = 0; i < seeds.length; i++) seeds[i] = Seeds.derive(config.seed(), DROPOUT_STREAM, first + i);
        List<StepComputation.Result> rs = rounds.round(graph, sgd, batches, lrs, seeds, lossFn);
        double[] losses = new double[batches.size()];
        for (int i = 0; i < losses.length; i++) {
            Batch b = batches.get(i);
            losses[i] = rs.get(i).loss();
            if (!Double.isFinite(losses[i])) throw diverged("loss is " + losses[i] + " (in a round of local SGD)", epoch, b.index(), first + i, lrs[i], true);
            try {
                running.add(rs.get(i).output(), b.labels(), losses[i]);
            } catch (NonFiniteException e) {
                throw diverged(e.getMessage(), epoch, b.index(), first + i, lrs[i], true);
            }
        }
        String blown = NumericGuard.firstNonFiniteValue(graph.parameters());
        if (blown != null) {
            Batch last = batches.get(batches.size() - 1);
            throw diverged("the round made " + blown + " non-finite", epoch, last.index(), first + batches.size() - 1, lrs[lrs.length - 1], true);
        }
        return losses;
    }

    /**
     * The divergence error; {@code batch} -1 means after the epoch's batches, {@code updated} that the
     * weights in memory already hold the bad values (they are never checkpointed).
     */
    private NonFiniteException diverged(String what, int epoch, int batch, long step, double lr, boolean updated) {
        String good = lastGood == null ? "no checkpoint was written yet"
                : "the last good checkpoint is " + lastGood + " (" + lastGoodWhere + ")";
        String at = batch < 0 ? String.format(Locale.ROOT, "after epoch %d (%d steps, last lr %.6g)", epoch + 1, step, lr)
                : String.format(Locale.ROOT, "at epoch %d, batch %d (step %d, lr %.6g)", epoch + 1, batch, step, lr);
        return new NonFiniteException(String.format(Locale.ROOT, "training diverged %s: %s. %s; %s. Try a lower --lr or a --warmup.",
                at, what, updated ? "These weights were not checkpointed" : "The weights were not updated with it", good));
    }

    private void save(int nextEpoch, int nextBatch, EvalResult test, EpochSoFar current) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(Checkpoint.Meta.EPOCH, Integer.toString(nextEpoch));
        if (nextBatch > 0) meta.put("batch", Integer.toString(nextBatch));
        else meta.remove("batch");
        meta.put(Checkpoint.Meta.SEED, Long.toString(config.seed()));
        if (test != null) {
            meta.put(Checkpoint.Meta.TOP1, Double.toString(test.top1()));
            meta.put(Checkpoint.Meta.TOP5, Double.toString(test.top5()));
            meta.put(Checkpoint.Meta.LOSS, Double.toString(test.loss()));
        }
        meta.put(Checkpoint.Meta.CREATED, Instant.now().toString());
        meta.put(Checkpoint.Meta.TOOL, TOOL);
        meta.remove(Checkpoint.Meta.PARAMS);
        meta.remove(Checkpoint.Meta.MACS);
        TrainingProgress progress = new TrainingProgress(nextEpoch, nextBatch, config.toMap(), current, history);
        Checkpoint.of(graph, meta, sgd.state(), progress).write(checkpointFile);
        lastGood = checkpointFile;
        lastGoodWhere = progress.where();
        listener.onCheckpoint(checkpointFile, nextEpoch, nextBatch);
    }

}
