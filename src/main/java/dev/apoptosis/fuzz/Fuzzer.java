package dev.apoptosis.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a {@link FuzzTarget}'s reader over seeded mutations of its valid files and checks, for
 * every file, the property every reader promises (docs/reliability.md):
 * <ul>
 * <li>it returns normally (the file was read), or throws the target's {@code refusal} type with a
 *     message that names the file;</li>
 * <li>it never throws anything else: no {@code RuntimeException}, no {@code OutOfMemoryError};</li>
 * <li>it finishes within the time limit (a hang is a failure, and the stuck thread is abandoned);</li>
 * <li>the reading thread allocates at most {@link #ALLOCATION_SLACK} plus {@code bytesPerFileByte}
 *     times the file's size (measured with the JVM's per-thread allocation counter).</li>
 * </ul>
 * Every seed must itself be read before any mutation is tried. File {@code i} of a run with seed
 * {@code s} depends on {@code (s, i)} alone, so any failure can be
 * reproduced from the two numbers in its report, and the failing input can be kept for a test.
 */
public final class Fuzzer {
    /** Allocation every read may make whatever the file's size: buffers, a model's graph, digests. */
    public static final long ALLOCATION_SLACK = 64L << 20;

    /** One file that broke the property. */
    public record Failure(String target, long seed, int iteration, int bytes, String problem, Path kept) {}

    /** What one target's run found. */
    public record Report(String target, int files, int read, int refused, List<Failure> failures, double seconds,
                         long maxAllocated) {}

    private final long timeoutMillis;
    private final Path keep;
    private ExecutorService worker = newWorker();

    /**
     * @param timeoutMillis time allowed for one file
     * @param keep          folder where failing inputs are copied (null: not kept)
     */
    public Fuzzer(long timeoutMillis, Path keep) {
        this.timeoutMillis = timeoutMillis;
        this.keep = keep;
    }

    /** Reads {@code iterations} mutated files of {@code t}, working in {@code scratch}. */
    public Report run(FuzzTarget t, int iterations, long seed, Path scratch) throws IOException {
        Path dir = Files.createDirectories(scratch.resolve(t.name()));
        List<byte[]> seeds = t.seeds().make(dir.resolve("seeds"));
        if (seeds.isEmpty()) throw new IllegalArgumentException("fuzz target " + t.name() + " has no valid seed files");
        Path input = dir.resolve("input-" + t.name());
        for (int k = 0; k < seeds.size(); k++) { // a seed the reader refuses would make every refusal meaningless
            Files.write(input, seeds.get(k));
            Outcome o = readOnce(t, input);
            if (o.thrown() != null || o.timedOut()) {
                throw new IllegalArgumentException("fuzz target " + t.name() + ": seed " + k + " is not a valid file: "
                        + (o.timedOut() ? "timed out" : describe(o.thrown())));
            }
        }
        long start = System.nanoTime();
        int read = 0, refused = 0;
        long maxAllocated = 0;
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            byte[] valid = seeds.get(r.nextInt(seeds.size()));
            byte[] bytes = Mutator.mutate(valid, r);
            if (r.nextBoolean()) bytes = t.seal().apply(bytes, r);
            Files.write(input, bytes);
            Outcome o = readOnce(t, input);
            maxAllocated = Math.max(maxAllocated, o.allocated());
            String problem = judge(t, input, bytes.length, o);
            if (problem == null) {
                if (o.thrown() == null) read++;
                else refused++;
                continue;
            }
            Path kept = null;
            if (keep != null) {
                kept = Files.createDirectories(keep).resolve(t.name() + "-seed" + seed + "-" + i + ".bin");
                Files.write(kept, bytes);
            }
            failures.add(new Failure(t.name(), seed, i, bytes.length, problem, kept));
        }
        return new Report(t.name(), iterations, read, refused, List.copyOf(failures), (System.nanoTime() - start) / 1e9, maxAllocated);
    }

    private static String judge(FuzzTarget t, Path input, int size, Outcome o) {
        if (o.timedOut()) return "did not finish within the time limit (hang?)";
        long budget = ALLOCATION_SLACK + t.bytesPerFileByte() * Math.max(size, 1);
        if (o.allocated() > budget) return "allocated " + o.allocated() + " bytes for a " + size + "-byte file (budget " + budget + ")";
        if (o.thrown() == null) return null;
        if (!t.refusal().isInstance(o.thrown())) return "threw " + describe(o.thrown());
        String m = String.valueOf(o.thrown().getMessage());
        if (!m.contains(input.getFileName().toString())) return "refused without naming the file: " + m;
        return null;
    }

    private static String describe(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        return e + (st.length > 0 ? " at " + st[0] : "");
    }

    /** What one read did: what it threw (null if nothing), what it allocated, whether it ran out of time. */
    private record Outcome(Throwable thrown, long allocated, boolean timedOut) {}

    private Outcome readOnce(FuzzTarget t, Path input) {
        Future<Outcome> f = worker.submit(() -> {
            long id = Thread.currentThread().getId();
            long before = allocated(id);
            Throwable thrown = null;
            try {
                t.reader().read(input);
            } catch (Throwable e) {
                thrown = e;
            }
            return new Outcome(thrown, allocated(id) - before, false);
        });
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow(); // the stuck thread is a daemon: abandon it and go on with a fresh one
            worker = newWorker();
            return new Outcome(null, 0, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(e, 0, false);
        } catch (ExecutionException e) {
            return new Outcome(e.getCause(), 0, false);
        }
    }

    private static long allocated(long threadId) {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
            return t.getThreadAllocatedBytes(threadId);
        }
        return 0; // this JVM does not count: the time and exception checks still apply
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "apoptosis-fuzz-reader");
            th.setDaemon(true);
            return th;
        });
    }

    /** Stops the reading thread. */
    public void close() {
        worker.shutdownNow();
    }
}
