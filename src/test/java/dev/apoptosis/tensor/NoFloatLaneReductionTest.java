package dev.apoptosis.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No kernel sums a vector's lanes with {@code reduceLanes}. Its order of additions is unspecified, and
 * on JDK 17 C2's intrinsic and the Java fallback (which runs until C2 has compiled the method) add in
 * different orders: the same call gave other bits in a JVM's first passes, so the demo printed another
 * table on its first run after a build. Lanes are folded in lane order instead
 * ({@code ReductionsVector}, {@code PaddedPlaneWeightGradient.laneSum}). Benchmarks, whose sums only
 * keep the JIT from dropping a loop, are exempt.
 */
class NoFloatLaneReductionTest {
    @Test
    void kernelsNeverUseReduceLanes() throws IOException {
        Path root = Path.of("src/main/java");
        assertTrue(Files.isDirectory(root), "run from the project root: " + root.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/bench/")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) continue;
                    if (code.contains("reduceLanes(")) offenders.add(root.relativize(f) + ":" + (i + 1) + ": " + code);
                }
            }
        }
        assertTrue(offenders.isEmpty(), "reduceLanes, whose order of additions depends on the JIT: " + String.join("\n", offenders));
    }
}
