package dev.apoptosis.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
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
        List<String> offenders = SourceScan.offenders(f -> !f.toString().contains("/bench/"), code -> code.contains("reduceLanes("));
        assertTrue(offenders.isEmpty(), "reduceLanes, whose order of additions depends on the JIT: " + String.join("\n", offenders));
    }
}
