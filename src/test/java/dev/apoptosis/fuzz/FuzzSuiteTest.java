package dev.apoptosis.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short run of the reader fuzzing suite (issue 16): every reader in {@link FuzzTargets#all()}
 * over 250 seeded mutations of its valid files, a few seconds in all. The long run is
 * {@code ./apoptosis fuzz --iterations N} (docs/reliability.md). The harness's own checks are tested
 * with readers that break the property on purpose, so a passing run means something.
 */
class FuzzSuiteTest {
    static final int ITERATIONS = 250;
    static Fuzzer fuzzer;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        fuzzer = new Fuzzer(10_000, null);
    }

    @AfterAll
    static void stop() {
        fuzzer.close();
    }

    @TestFactory
    Stream<DynamicTest> everyReaderReadsOrRefusesEveryMutatedFile() {
        return FuzzTargets.all().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> {
            Fuzzer.Report r = fuzzer.run(t, ITERATIONS, 20261207L, dir);
            assertEquals(ITERATIONS, r.read() + r.refused() + r.failures().size());
            assertTrue(r.failures().isEmpty(), t.name() + ": " + r.failures());
            assertTrue(r.refused() > 0, t.name() + " refused none of " + r.files() + " mutated files");
        }));
    }

    /** A target whose seed (64 zero bytes) is read, and whose mutated files go to {@code reader}. */
    private static FuzzTarget broken(String name, FuzzTarget.Reader reader) {
        return new FuzzTarget(name, IOException.class, d -> List.of(new byte[64]), f -> {
            if (!java.util.Arrays.equals(java.nio.file.Files.readAllBytes(f), new byte[64])) reader.read(f);
        }, FuzzTarget.Seal.NONE, 1);
    }

    @Test
    void aSeedTheReaderRefusesIsAnError() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> fuzzer.run(new FuzzTarget("refuses-all", IOException.class, d -> List.of(new byte[8]), f -> {
                    throw new IOException("no " + f);
                }, FuzzTarget.Seal.NONE, 1), 1, 1, dir));
        assertTrue(e.getMessage().contains("seed 0 is not a valid file"), e.getMessage());
    }

    @Test
    void theHarnessReportsEachWayAReaderCanBreakThePromise() throws IOException {
        Fuzzer quick = new Fuzzer(10_000, dir.resolve("kept"));
        Fuzzer impatient = new Fuzzer(300, dir.resolve("kept"));
        try {
            String wrongType = only(quick.run(broken("npe", f -> {
                throw new NullPointerException("oops");
            }), 3, 1, dir));
            assertTrue(wrongType.startsWith("threw java.lang.NullPointerException"), wrongType);
            String unnamed = only(quick.run(broken("unnamed", f -> {
                throw new IOException("bad file");
            }), 3, 1, dir));
            assertTrue(unnamed.startsWith("refused without naming the file"), unnamed);
            String hang = only(impatient.run(broken("hang", f -> Thread.sleep(5_000)), 2, 1, dir));
            assertTrue(hang.contains("time limit"), hang);
            String greedy = only(quick.run(broken("greedy", f -> {
                byte[][] hold = new byte[100][];
                for (int i = 0; i < hold.length; i++) hold[i] = new byte[1 << 20];
            }), 2, 1, dir));
            assertTrue(greedy.startsWith("allocated"), greedy);
            Fuzzer.Report fine = quick.run(broken("fine", f -> {
                throw new IOException("cannot use " + f);
            }), 3, 1, dir);
            assertTrue(fine.failures().isEmpty(), fine.failures().toString());
        } finally {
            quick.close();
            impatient.close();
        }
    }

    private static String only(Fuzzer.Report r) {
        assertEquals(r.files(), r.failures().size(), r.toString());
        assertTrue(r.failures().get(0).kept().toFile().isFile(), "failing input not kept");
        return r.failures().get(0).problem();
    }
}
