package dev.apoptosis.bench;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.SgdConfig;
import dev.apoptosis.onnx.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * What the model-level benchmarks share: a model (a zoo model for 10 classes at 3x32x32, or the graph
 * of a checkpoint or ONNX file, such as a pruned model with its odd channel counts), one fixed random
 * batch of its input shape with labels (seed 0), and a training step on it (TRAIN forward, softmax cross-entropy,
 * backward, SGD with momentum 0.9 and weight decay 5e-4), the same step bench/pytorch_train.py times.
 */
final class RandomCifarStep {
    final Graph graph;
    final Map<String, Tensor> input;
    final int[] labels;
    final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final Sgd sgd;

    RandomCifarStep(String model, int batch) {
        this(model, 0, batch);
    }

    /**
     * The zoo model {@code model} at {@code width} (0: the model's default), or, when {@code model} is
     * not a zoo name, the model in that checkpoint or ONNX file (width must then be 0).
     */
    RandomCifarStep(String model, int width, int batch) {
        graph = graph(model, width);
        Random r = new Random(0);
        int[] sample = graph.inputs().get(0).outputShape();
        int[] shape = new int[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        input = Map.of(graph.inputs().get(0).name(), Tensor.randn(r, 1f, shape));
        int classes = graph.output().outputShape()[0];
        labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = r.nextInt(classes);
        sgd = new Sgd(graph, new SgdConfig(0.9, 5e-4, false));
    }

    /** How results name a model: its zoo name, or a file's name without its extension. */
    static String label(String model) {
        return ModelZoo.has(model) ? model : ModelFiles.stem(Path.of(model));
    }

    /** The zoo model {@code model} for 3x32x32 images and 10 classes at {@code width} (0: its default), or the model in that file. */
    static Graph graph(String model, int width) {
        requireModel(model);
        return ModelZoo.has(model) ? ModelZoo.build(model, new ModelOptions(10, new int[] {3, 32, 32}, width, 0))
                : fromFile(model, width);
    }

    /** Throws an error naming {@code model} unless it is a zoo name or an existing file, listing the zoo's names. */
    static void requireModel(String model) {
        if (!ModelZoo.has(model) && !java.nio.file.Files.isRegularFile(Path.of(model))) {
            throw new IllegalArgumentException("'" + model + "' is neither a zoo model nor a file; zoo models: "
                    + String.join(", ", ModelZoo.entries().keySet()));
        }
    }

    private static Graph fromFile(String model, int width) {
        if (width != 0) throw new IllegalArgumentException("--width applies to zoo models only, not to the file " + model);
        Path file = Path.of(model);
        try {
            return ModelFiles.read(file).toGraph(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + file + ": " + e.getMessage(), e);
        }
    }

    /** One training step; a small learning rate keeps the timed steps numerically alike. */
    void trainStep() {
        try (Pass p = Pass.forward(graph, input, Mode.TRAIN, 0L, true)) {
            p.loss(loss, labels);
            update(p.backward(false).parameters());
        }
    }

    /** The training step's SGD update (learning rate 0.01); {@link ProfileBench} times it on its own. */
    void update(ParamVector gradient) {
        sgd.step(gradient, 0.01);
    }

    /**
     * One curvature pass, what an importance estimate does per batch: a BATCH_STATS forward, the loss,
     * and the {@code c} product along OBA's direction (v = θ on Conv/Linear) without the gradient.
     */
    void curvatureStep(Curvature c) {
        try (Pass p = Pass.forward(graph, input, Mode.BATCH_STATS, 0L, true)) {
            p.loss(loss, labels);
            p.curvatureProduct(ParamVector.obaDirection(graph), c, false);
        }
    }
}
