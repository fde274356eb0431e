package dev.apoptosis.cli;

import dev.apoptosis.fuzz.FuzzTarget;
import dev.apoptosis.fuzz.FuzzTargets;
import dev.apoptosis.fuzz.Fuzzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apoptosis fuzz}: the long run of the reader fuzzing suite (the test suite runs a short one).
 * Prints, per reader, the files tried, read and refused, the failures, the time and the largest
 * allocation of one read; exits 1 if any file broke the property (see {@link Fuzzer}).
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fuzz the binary readers with seeded mutations of valid files: every file must be read, or refused "
                + "with the reader's own error naming it, in bounded time and memory.",
                "Readers: all, checkpoint, idx-images, idx-labels, cifar-binary, image-cache, tar, digits-csv."})
public final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--reader", paramLabel = "NAME", defaultValue = "all", description = "Reader to fuzz, or all (default: ${DEFAULT-VALUE}).")
    String reader;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1000", description = "Files per reader (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", defaultValue = "1", description = "Seed; file i of a run depends on (seed, i) only (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Time allowed per file (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--keep", paramLabel = "DIR", description = "Copy failing inputs into this folder.")
    Path keep;

    @Override
    public Integer call() throws IOException {
        if (iterations < 1) throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
        if (!(timeout > 0)) throw new IllegalArgumentException("--timeout must be > 0, got " + timeout);
        List<FuzzTarget> targets = reader.equals("all") ? FuzzTargets.all() : List.of(FuzzTargets.named(reader));
        Path scratch = Files.createTempDirectory("apoptosis-fuzz-");
        Fuzzer fuzzer = new Fuzzer(Math.round(timeout * 1000), keep);
        List<Fuzzer.Report> reports = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-13s %8s %8s %8s %8s %9s %14s%n", "reader", "files", "read", "refused", "failures",
                "seconds", "max alloc MB");
        try {
            for (FuzzTarget t : targets) {
                Fuzzer.Report r = fuzzer.run(t, iterations, seed, scratch);
                reports.add(r);
                System.out.printf(Locale.ROOT, "%-13s %8d %8d %8d %8d %9.1f %14.1f%n", r.target(), r.files(), r.read(), r.refused(),
                        r.failures().size(), r.seconds(), r.maxAllocated() / 1048576.0);
            }
        } finally {
            fuzzer.close();
            deleteTree(scratch);
        }
        int failed = 0;
        for (Fuzzer.Report r : reports) {
            for (Fuzzer.Failure f : r.failures()) {
                if (failed++ < 20) {
                    System.out.printf(Locale.ROOT, "FAIL %s seed %d file %d (%d bytes): %s%s%n", f.target(), f.seed(), f.iteration(),
                            f.bytes(), Terminal.safe(f.problem()), f.kept() != null ? " [kept: " + f.kept() + "]" : "");
                }
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static void deleteTree(Path root) {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("fuzz: could not remove " + root + ": " + e.getMessage());
        }
    }
}
