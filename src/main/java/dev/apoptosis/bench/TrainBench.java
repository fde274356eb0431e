package dev.apoptosis.bench;

import dev.apoptosis.autodiff.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.SgdConfig;
import java.util.Map;
import java.util.Random;

/**
 * Training-step throughput: one step is a TRAIN forward, softmax cross-entropy, backward and an SGD
 * step (momentum 0.9, weight decay 5e-4) on a fixed random batch of CIFAR-shaped images (3x32x32,
 * 10 classes). Reports the median step time and images per second. bench/pytorch_train.py measures
 * the same step in PyTorch.
 */
public final class TrainBench {
    private TrainBench() {}

    public static BenchResult run(String model, int batch, int threads, int warmup, int reps) {
        Graph g = ModelZoo.build(model, new ModelOptions(10, new int[] {3, 32, 32}, 0, 0));
        Random r = new Random(0);
        Tensor x = Tensor.randn(r, 1f, batch, 3, 32, 32);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = r.nextInt(10);
        Sgd sgd = new Sgd(g, new SgdConfig(0.9, 5e-4, false));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        String input = g.inputs().get(0).name();
        double ms = Timing.medianMillis(warmup, reps, () -> {
            try (Pass p = Pass.forward(g, Map.of(input, x), Mode.TRAIN, 0L, true)) {
                p.loss(loss, y);
                ParamVector grad = p.backward(false).parameters();
                sgd.step(grad, 0.01);
            }
        });
        return new BenchResult("train/" + model + "/batch" + batch, threads, ms, Double.NaN, batch / (ms / 1e3));
    }
}
