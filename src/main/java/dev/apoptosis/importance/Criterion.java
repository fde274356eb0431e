package dev.apoptosis.importance;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An importance criterion: a rule that scores every entry of some parameters of a model from one
 * calibration batch, estimating how much the loss changes when that entry is removed (set to zero).
 * Per-batch scores are added into a {@link Scores}; their sum over batches, divided by the count, is
 * the criterion's estimate.
 *
 * <p>Contract of every implementation:
 * <ul>
 * <li>one {@link #accumulate} call per calibration batch adds exactly one batch to the Scores;</li>
 * <li>the model is never changed: no parameter or buffer is written (BatchNorm running statistics
 *     included; passes run in {@code Mode.BATCH_STATS} or {@code Mode.EVAL}, never {@code TRAIN});</li>
 * <li>no state survives a call: a batch's score depends only on the model, the batch and the
 *     options, so scores computed anywhere merge by addition;</li>
 * <li>{@link #scoredParameters} says which parameters are scored; it is the same list for every call
 *     on the same graph.</li>
 * </ul>
 * Instances are immutable and may be shared between threads, each thread with its own Scores and
 * its own copy of the model.
 */
public interface Criterion {
    /** The name it is created by in {@link Criteria#create}: magnitude, taylor, obd, oba or exact. */
    String name();

    /** False if the scores depend on the parameters alone (magnitude): calibration batches are then not read. */
    boolean needsData();

    /** The parameters this criterion scores on {@code g}, in graph parameter order. */
    List<Parameter> scoredParameters(Graph g);

    /** Empty scores (no batch yet) for the parameters this criterion scores on {@code g}. */
    default Scores newScores(Graph g) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Parameter p : scoredParameters(g)) shapes.put(p.name(), p.spec().shape());
        return Scores.empty(name(), shapes);
    }

    /**
     * Scores one calibration batch and adds it to {@code into}: {@code images} is the batch
     * [N, sample shape...] for the graph's single input, {@code labels} its N class indices (the loss
     * is mean softmax cross-entropy). A criterion that does not {@link #needsData need data} accepts
     * {@code null} for both and adds one batch of its data-free score.
     */
    void accumulate(Graph g, Tensor images, int[] labels, Scores into);
}
