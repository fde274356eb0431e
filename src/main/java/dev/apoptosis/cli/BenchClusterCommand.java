package dev.apoptosis.cli;

import dev.apoptosis.cluster.Cluster;
import dev.apoptosis.cluster.ClusterBench;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apoptosis bench cluster}: speed-up and per-step overhead of Spark for importance estimation
 * and a fine-tuning epoch, one process against loopback standalone clusters (docs/cluster.md).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Importance step and fine-tuning epoch on loopback Spark standalone clusters of 1, 2, 4 one-core executors "
                + "(child JVMs), alternating with the same work in one process on one core: speed-up and Spark's overhead per step. "
                + "Needs Spark (./apoptosis adds it).")
public final class BenchClusterCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "digits-cnn", description = "Zoo model (default: ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--width", defaultValue = "32", description = "Model width (default: ${DEFAULT-VALUE}).")
    int width;
    @Option(names = "--data", defaultValue = "digits-bundled", description = "Data spec every executor can read (default: ${DEFAULT-VALUE}).")
    String data;
    @Option(names = "--criterion", defaultValue = "oba", description = "Criterion timed (default: ${DEFAULT-VALUE}).")
    String criterion;
    @Option(names = "--calib-batches", defaultValue = "16", description = "Calibration batches per importance step (default: ${DEFAULT-VALUE}).")
    int calibBatches;
    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--reps", defaultValue = "3", description = "Timed importance steps (median reported; default: ${DEFAULT-VALUE}).")
    int reps;
    @Option(names = "--executors", split = ",", defaultValue = "1,2,4", description = "Cluster sizes in one-core executors "
            + "(default: ${DEFAULT-VALUE}); the overhead per step is measured on 1.")
    List<Integer> executors;
    @Option(names = "--json", description = "Print one JSON object per line.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Criteria.NAMES.contains(criterion)) throw new IllegalArgumentException("--criterion: unknown '" + criterion + "'");
        if (!Criteria.create(criterion).needsData()) throw new IllegalArgumentException("--criterion " + criterion + " reads no data: nothing to distribute");
        if (calibBatches < 1 || batch < 1 || reps < 1 || width < 1) {
            throw new IllegalArgumentException("--calib-batches, --batch, --reps and --width must be >= 1");
        }
        if (executors.isEmpty() || executors.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--executors must list cluster sizes >= 1, got " + executors);
        }
        DataSpec.parse(data); // a bad spec fails before any cluster starts
        Cluster.requireSpark();
        int[] shape = DataSpec.parse(data).load().train().sampleShape();
        int classes = DataSpec.parse(data).load().train().numClasses();
        ModelOptions o = ModelOptions.defaults().withClasses(classes).withInput(shape).withWidth(width).withSeed(1);
        ModelZoo.build(model, o); // an unknown model fails now
        Path work = Files.createTempDirectory("apoptosis-bench-cluster");
        try {
            ClusterBench.run(new ClusterBench.Settings(() -> ModelZoo.build(model, o), data, criterion, calibBatches, batch, reps, executors), work,
                    r -> {
                        System.out.println(json ? r.toJson() : r.toText());
                        System.out.flush();
                    });
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
