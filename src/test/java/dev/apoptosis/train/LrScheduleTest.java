package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Learning-rate schedules against their closed forms, at boundaries and between them. */
class LrScheduleTest {
    @Test
    void multistepDecaysAtEachMilestone() {
        LrSchedule s = new MultiStepLr(0.1, new long[] {10, 20}, 0.1);
        assertEquals(0.1, s.at(0), 0);
        assertEquals(0.1, s.at(9), 0);
        assertEquals(0.01, s.at(10), 1e-15);
        assertEquals(0.01, s.at(19), 1e-15);
        assertEquals(0.001, s.at(20), 1e-15);
        assertEquals(0.001, s.at(1000), 1e-15);
    }

    @Test
    void cosineStartsAtLrPassesMidpointAndEndsAtMin() {
        LrSchedule s = new CosineLr(0.2, 0.002, 100);
        assertEquals(0.2, s.at(0), 1e-15);
        assertEquals((0.2 + 0.002) / 2, s.at(50), 1e-12);
        assertEquals(0.002 + 0.198 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.at(25), 1e-12);
        assertEquals(0.002, s.at(100), 0);
        assertEquals(0.002, s.at(150), 0);
        for (int t = 1; t <= 100; t++) assertTrue(s.at(t) <= s.at(t - 1), "cosine must not increase at step " + t);
        assertEquals(0.0, new CosineLr(0.1, 0, 10).at(10), 0);
    }

    @Test
    void warmupRampsLinearlyThenHandsOver() {
        LrSchedule inner = new CosineLr(1.0, 0, 100);
        LrSchedule s = new WarmupLr(inner, 10);
        assertEquals(inner.at(0) * 0.1, s.at(0), 1e-15);
        assertEquals(inner.at(4) * 0.5, s.at(4), 1e-15);
        assertEquals(inner.at(9), s.at(9), 1e-15);
        assertEquals(inner.at(10), s.at(10), 0);
        assertEquals(inner.at(60), s.at(60), 0);
    }

    @Test
    void epochSettingsBecomeSteps() {
        // 5 steps per epoch, milestones at epochs 2 and 3 -> steps 10 and 15; 1 epoch warm-up -> 5 steps.
        LrSchedule s = LrSchedule.create(LrSchedule.Kind.MULTISTEP, 0.4, 4, 5, new int[] {2, 3}, 0.5, 0, 1);
        assertEquals(0.4 / 5, s.at(0), 1e-15);
        assertEquals(0.4, s.at(4), 1e-15);
        assertEquals(0.4, s.at(9), 1e-15);
        assertEquals(0.2, s.at(10), 1e-15);
        assertEquals(0.1, s.at(15), 1e-15);
        LrSchedule c = LrSchedule.create(LrSchedule.Kind.COSINE, 0.4, 4, 5, new int[0], 0.1, 0.0, 0);
        assertEquals(0.2, c.at(10), 1e-12); // halfway through 20 steps
        assertEquals(0.0, c.at(20), 0);
        assertEquals(0.3, LrSchedule.create(LrSchedule.Kind.CONSTANT, 0.3, 2, 3, new int[0], 0.1, 0, 0).at(5), 0);
    }

    @Test
    void badSettingsAreRejectedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MultiStepLr(0.1, new long[] {5, 5}, 0.1)).getMessage().contains("milestones"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CosineLr(0.1, 0.2, 10)).getMessage().contains("minimum"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.Kind.parse("linear")).getMessage().contains("cosine"));
        assertThrows(IllegalArgumentException.class, () -> new ConstantLr(0.1).at(-1));
    }
}
