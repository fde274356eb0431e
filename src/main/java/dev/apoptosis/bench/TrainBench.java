package dev.apoptosis.bench;

/**
 * Training-step throughput: the median time of {@link RandomCifarStep#trainStep} on a fixed random
 * CIFAR-shaped batch, and the images per second it implies. bench/pytorch_train.py measures the
 * same step in PyTorch.
 */
public final class TrainBench {
    private TrainBench() {}

    public static BenchResult run(String model, int batch, int threads, int warmup, int reps) {
        RandomCifarStep s = new RandomCifarStep(model, batch);
        double ms = Timing.medianMillis(warmup, reps, s::trainStep);
        return new BenchResult("train/" + RandomCifarStep.label(model) + "/batch" + batch, threads, ms, Double.NaN, batch / (ms / 1e3));
    }
}
