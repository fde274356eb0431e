package dev.apoptosis.bench;

import dev.apoptosis.data.Batch;
import dev.apoptosis.data.DataLoader;
import dev.apoptosis.data.DataPaths;
import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import dev.apoptosis.data.ImageFolder;
import dev.apoptosis.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Data-pipeline timings on the shared real datasets: loading Fashion-MNIST, decoding the CIFAR-10
 * JPEG tarball the first time (empty cache) versus from the cache, and DataLoader throughput for
 * CIFAR-10 training batches (crop + flip + normalise). Medians of {@code reps} runs.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp target/classes:target/lib/*
 * dev.apoptosis.bench.DataBench [reps]}.
 */
public final class DataBench {
    private DataBench() {}

    public static void main(String[] args) throws IOException {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        run(DataPaths.dataRoot(), reps, r -> System.out.println(r.toText()));
    }

    public static void run(Path root, int reps, Consumer<BenchResult> sink) throws IOException {
        int threads = Parallel.threads();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            DataSplits s = DataSpec.parse("fashion-mnist").load(root, null);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (s.train().size() != 60000) throw new IllegalStateException("unexpected Fashion-MNIST size");
        }
        double m = Timing.median(ms);
        sink.accept(new BenchResult("data load fashion-mnist (70k, gz IDX)", threads, m, Double.NaN, 70000 / (m / 1e3)));

        Path archive = root.resolve("cifar10-jpeg.tar.gz");
        double[] first = new double[reps];
        for (int i = 0; i < reps; i++) {
            Path cache = Files.createTempDirectory("apoptosis-bench-cache");
            try {
                long t0 = System.nanoTime();
                loadCifar(archive, cache, ImageFolder.CacheStatus.CREATED);
                first[i] = (System.nanoTime() - t0) / 1e6;
            } finally {
                deleteTree(cache);
            }
        }
        m = Timing.median(first);
        sink.accept(new BenchResult("data cifar10 jpeg decode, first time (60k)", threads, m, Double.NaN, 60000 / (m / 1e3)));

        Path cache = Files.createTempDirectory("apoptosis-bench-cache");
        try {
            loadCifar(archive, cache, ImageFolder.CacheStatus.CREATED);
            double[] hit = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                loadCifar(archive, cache, ImageFolder.CacheStatus.HIT);
                hit[i] = (System.nanoTime() - t0) / 1e6;
            }
            m = Timing.median(hit);
            sink.accept(new BenchResult("data cifar10 from decoded cache (60k)", threads, m, Double.NaN, 60000 / (m / 1e3)));

            DataSplits s = DataSpec.parse("cifar10").load(root, cache);
            try (DataLoader loader = s.trainLoader(128, 1)) {
                double[] epoch = new double[reps];
                long images = 0;
                for (int e = 0; e < reps; e++) {
                    long t0 = System.nanoTime();
                    images = 0;
                    for (var it = loader.epoch(e); it.hasNext(); ) {
                        Batch b = it.next();
                        images += b.size();
                    }
                    epoch[e] = (System.nanoTime() - t0) / 1e6;
                }
                m = Timing.median(epoch);
                sink.accept(new BenchResult("data loader cifar10 crop+flip+norm b128 (epoch)", threads, m, Double.NaN,
                        images / (m / 1e3)));
            }
        } finally {
            deleteTree(cache);
        }
    }

    private static void loadCifar(Path archive, Path cache, ImageFolder.CacheStatus expect) throws IOException {
        for (String split : new String[] {"train", "test"}) {
            ImageFolder.Loaded l = ImageFolder.loadTar(archive, "cifar10/" + split, cache, "cifar10/" + split);
            if (l.cacheStatus() != expect) throw new IllegalStateException("cache status " + l.cacheStatus() + ", expected " + expect);
        }
    }


    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
