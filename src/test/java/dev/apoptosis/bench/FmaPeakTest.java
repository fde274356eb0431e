package dev.apoptosis.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The FMA loop computes what it claims (so the JIT cannot drop it) and gives a plausible figure. */
class FmaPeakTest {
    @Test
    void theLoopIsTwelveChainsOfFusedMultiplyAdds() {
        // Chain j starts at j and becomes c * 0.999 + 1e-4 each iteration (FloatVector.fma(a, b) is this * a + b);
        // the chains and then the lanes are summed.
        long n = 1000;
        float perLane = 0;
        for (int j = 0; j < 12; j++) {
            float c = j;
            for (long i = 0; i < n; i++) c = Math.fma(c, 0.999f, 1e-4f);
            perLane += c;
        }
        assertEquals(perLane * FloatVector.SPECIES_PREFERRED.length(), FmaPeak.loop(n), 1e-3 * perLane * FloatVector.SPECIES_PREFERRED.length());
        assertEquals(24.0 * FloatVector.SPECIES_PREFERRED.length(), FmaPeak.flopsPerIteration());
    }

    @Test
    void thePeakIsPositiveAndFinite() {
        // No speed bound: a loaded machine or a JVM without the Vector API's intrinsics is slow, not wrong.
        double g = FmaPeak.gflops(1, 0.15);
        assertTrue(g > 0 && Double.isFinite(g), "GFLOP/s " + g);
    }
}
