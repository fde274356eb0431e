package dev.apoptosis.bench;

import dev.apoptosis.graph.Curvature;
import java.util.function.Consumer;

/**
 * Cost of a curvature pass relative to a training step, on one fixed random CIFAR-shaped batch.
 *
 * <p>A training step is a TRAIN forward, softmax cross-entropy, backward and an SGD update. A curvature
 * pass is a BATCH_STATS forward, the loss, and one tangent plus one R-reverse pass along OBA's
 * direction (v = θ on Conv/Linear) without the gradient: everything an importance estimate does per
 * batch. The two are timed alternately, so that each repetition gives a side-by-side ratio on a noisy
 * machine; the reported ratio is the median of those per-repetition ratios.
 */
public final class AutodiffBench {
    private AutodiffBench() {}

    public static void run(String model, int batch, int threads, int warmup, int reps, Curvature mode,
                           Consumer<BenchResult> sink, Consumer<String> ratioSink) {
        RandomCifarStep s = new RandomCifarStep(model, batch);
        Runnable step = s::trainStep;
        Runnable hv = () -> s.curvatureStep(mode);
        for (int i = 0; i < warmup; i++) {
            step.run();
            hv.run();
        }
        double[] ts = new double[reps], th = new double[reps], ratio = new double[reps];
        for (int i = 0; i < reps; i++) {
            ts[i] = time(step);
            th[i] = time(hv);
            ratio[i] = th[i] / ts[i];
        }
        double stepMs = Timing.median(ts), hvMs = Timing.median(th);
        String tag = RandomCifarStep.label(model) + "/batch" + batch;
        sink.accept(new BenchResult("autodiff/train_step/" + tag, threads, stepMs, Double.NaN, batch / (stepMs / 1e3)));
        sink.accept(new BenchResult("autodiff/hvp_" + mode.name().toLowerCase() + "/" + tag, threads, hvMs, Double.NaN,
                batch / (hvMs / 1e3)));
        ratioSink.accept(String.format(java.util.Locale.ROOT,
                "{\"name\":\"autodiff/ratio_hvp_%s_to_train_step/%s\",\"threads\":%d,\"ratio\":%.3f,\"reps\":%d}",
                mode.name().toLowerCase(), tag, threads, Timing.median(ratio), reps));
    }

    private static double time(Runnable r) {
        long s = System.nanoTime();
        r.run();
        return (System.nanoTime() - s) / 1e6;
    }

}
