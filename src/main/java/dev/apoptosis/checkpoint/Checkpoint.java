package dev.apoptosis.checkpoint;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.NodeDef;
import dev.apoptosis.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to rebuild, evaluate, prune or resume training a model, as one self-describing
 * file ({@link CheckpointFormat} describes the bytes):
 * <ul>
 * <li>the architecture: the graph's name, output node and {@link NodeDef}s (op kinds and attributes,
 *     including pruned channel counts), so no model code is needed to load it;</li>
 * <li>every parameter and buffer value by full name ({@link Graph#state()});</li>
 * <li>the unstructured-pruning masks of masked parameters, by parameter name (empty if dense);</li>
 * <li>the optimiser's state and the training progress, when saved by a training run (else null);</li>
 * <li>metadata as text: see {@link Meta} for the standard keys.</li>
 * </ul>
 * A checkpoint made with {@link #of} shares the graph's tensors: write it before training goes on.
 * One read from disk owns fresh tensors.
 */
public record Checkpoint(Map<String, String> metadata, String graphName, String outputName, List<NodeDef> nodes,
                         Map<String, Tensor> state, OptimizerState optimizer, TrainingProgress progress,
                         Map<String, Tensor> masks) {

    /** Standard metadata keys (values are text; any other keys may be added). */
    public static final class Meta {
        private Meta() {}

        public static final String MODEL = "model";
        public static final String DATA = "data";
        public static final String EPOCH = "epoch";
        public static final String TOP1 = "top1";
        public static final String TOP5 = "top5";
        public static final String LOSS = "loss";
        public static final String SEED = "seed";
        public static final String CREATED = "created";
        public static final String TOOL = "tool";
        public static final String PROVENANCE = "provenance";
        public static final String PARAMS = "params";
        public static final String MACS = "macs";
        /**
         * Per-channel normalisation {@code (x - mean) / std} the model's inputs went through in training,
         * as comma-separated floats: what a user of the model must apply to pixel values scaled to [0, 1]
         * (8-bit values / 255) before feeding it.
         */
        public static final String INPUT_MEAN = "input.mean";
        /** The standard deviations that go with {@link #INPUT_MEAN}. */
        public static final String INPUT_STD = "input.std";
        /** The class names of the model's outputs, in output order, one per line. */
        public static final String CLASSES = "classes";
    }

    public Checkpoint {
        if (graphName == null || outputName == null) throw new IllegalArgumentException("checkpoint needs a graph name and an output node");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        nodes = List.copyOf(nodes);
        state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
        masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks == null ? Map.of() : masks));
    }

    /** A checkpoint of a dense model (no masks). */
    public Checkpoint(Map<String, String> metadata, String graphName, String outputName, List<NodeDef> nodes,
                      Map<String, Tensor> state, OptimizerState optimizer, TrainingProgress progress) {
        this(metadata, graphName, outputName, nodes, state, optimizer, progress, Map.of());
    }

    /** A checkpoint of {@code g} as it is now (tensors shared, not copied). */
    public static Checkpoint of(Graph g, Map<String, String> metadata, OptimizerState optimizer, TrainingProgress progress) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.putIfAbsent(Meta.PARAMS, Long.toString(g.numParameters()));
        m.putIfAbsent(Meta.MACS, Long.toString(g.macs()));
        return new Checkpoint(m, g.name(), g.output().name(), g.toDefs(), g.state(), optimizer, progress, g.masks());
    }

    /** Rebuilds the graph with these values (fresh, independent of this record's tensors only if read from disk). */
    public Graph toGraph() {
        Graph g = Graph.fromDefs(graphName, nodes, outputName, state, null);
        g.applyMasks(masks);
        return g;
    }

    /** A copy with {@code key} set to {@code value} in the metadata. */
    public Checkpoint withMetadata(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new Checkpoint(m, graphName, outputName, nodes, state, optimizer, progress, masks);
    }

    /** Writes atomically (see {@link AtomicFile}): the file is either the old one or this one, never a mix. */
    public void write(Path file) throws IOException {
        CheckpointFormat.write(file, this);
    }

    /** Reads and fully verifies a checkpoint; any problem is a {@link CheckpointException} naming the file. */
    public static Checkpoint read(Path file) throws CheckpointException {
        return CheckpointFormat.read(file);
    }

    /** Reads a checkpoint and rebuilds its graph, reporting an inconsistent architecture as a CheckpointException. */
    public static Graph readGraph(Path file) throws CheckpointException {
        return read(file).toGraph(file);
    }

    /** {@link #toGraph()}, reporting an architecture that does not rebuild as a CheckpointException naming {@code file}. */
    public Graph toGraph(Path file) throws CheckpointException {
        try {
            return toGraph();
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "architecture does not rebuild: " + e.getMessage(), e);
        }
    }
}
