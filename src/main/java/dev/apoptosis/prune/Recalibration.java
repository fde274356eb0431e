package dev.apoptosis.prune;

import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.data.Batch;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Mode;
import java.util.Map;

/**
 * Re-estimates BatchNorm running statistics after surgery: removing channels changes what every
 * later BatchNorm sees, so the statistics kept from the dense model no longer fit and a one-shot
 * pruned network can sit at chance until fine-tuning. A few forward passes in {@code TRAIN} mode
 * (no backward, no weight change) move the running statistics toward the pruned model's own, at
 * each BatchNorm's momentum. The reference implementation does not do this. {@code prune} does it by
 * default (50 batches): on ResNet-20/CIFAR-10 pruned to half its MACs it lifts accuracy straight
 * after pruning from 10 % to about 50 % (magnitude and OBA alike), and the accuracy after fine-tuning
 * is the same to the last digit with or without it (fine-tuning trains on batch statistics and its
 * running averages forget where they started), so it costs a few seconds and changes nothing else.
 */
public final class Recalibration {
    private Recalibration() {}

    /** True when the graph has a BatchNorm, the only layer whose state recalibration changes. */
    public static boolean applies(Graph g) {
        return g.nodes().stream().anyMatch(n -> n.op() instanceof dev.apoptosis.graph.ops.BatchNorm2d);
    }

    /** Runs {@code batches} training-mode forwards of batch size {@code batchSize}; returns how many ran. */
    public static int run(Graph g, DataSplits data, int batches, int batchSize, long seed) {
        int n = 0;
        try (DataLoader loader = data.trainLoader(batchSize, seed); DataLoader.Epoch e = loader.epoch(0)) {
            while (n < batches && e.hasNext()) {
                Batch b = e.next();
                try (Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), b.images()), Mode.TRAIN, seed + n, false)) {
                    n++;
                }
            }
        }
        return n;
    }
}
