package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Training settings: the builder, the text form stored in checkpoints, and validation naming the option. */
class TrainConfigTest {
    @Test
    void builderDefaultsAreTheDocumentedOnes() {
        Map<String, String> m = TrainConfig.builder().build().toMap();
        assertEquals("10", m.get("epochs"));
        assertEquals("128", m.get("batch"));
        assertEquals("0.1", m.get("lr"));
        assertEquals("0.9", m.get("momentum"));
        assertEquals("false", m.get("nesterov"));
        assertEquals("5.0E-4", m.get("wd"));
        assertEquals("cosine", m.get("schedule"));
        assertEquals("0", m.get("seed"));
        assertEquals(TrainConfig.defaults(), TrainConfig.builder().build());
    }

    @Test
    void everyBuilderSettingLandsInItsComponent() {
        TrainConfig positional = new TrainConfig(7, 64, 0.3, 0.5, true, 1e-4, LrSchedule.Kind.MULTISTEP, new int[] {3, 5}, 0.2,
                0.01, 1.5, 42, 9, 0.1);
        TrainConfig built = TrainConfig.builder().epochs(7).batchSize(64).lr(0.3).momentum(0.5).nesterov(true).weightDecay(1e-4)
                .multistep(0.2, 3, 5).minLr(0.01).warmupEpochs(1.5).seed(42).checkpointEvery(9).labelSmoothing(0.1).build();
        assertEquals(positional.toMap(), built.toMap());
        assertEquals(positional, built.toBuilder().build());
        assertNotEquals(positional, built.toBuilder().seed(43).build());
        assertArrayEquals(new int[] {3, 5}, built.milestones());
    }

    @Test
    void textFormKeepsEveryBit() {
        TrainConfig c = TrainConfig.builder().lr(0.1 + 0.2).weightDecay(Math.nextUp(5e-4)).warmupEpochs(1.0 / 3).build();
        TrainConfig back = TrainConfig.fromMap(c.toMap());
        assertEquals(0.1 + 0.2, back.lr());
        assertEquals(Math.nextUp(5e-4), back.weightDecay());
        assertEquals(1.0 / 3, back.warmupEpochs());
    }

    @Test
    void badSettingsNameTheirOption() {
        var e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().epochs(0).build());
        assertTrue(e.getMessage().startsWith("--epochs must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().momentum(0).nesterov(true).build());
        assertTrue(e.getMessage().contains("--nesterov needs --momentum > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().schedule(LrSchedule.Kind.MULTISTEP).build());
        assertTrue(e.getMessage().contains("--schedule multistep needs --milestones"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromMap(Map.of("epochs", "3")));
        assertTrue(e.getMessage().contains("lack"), e.getMessage());
    }
}
