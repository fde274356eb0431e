package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.Normalize;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The input normalisation kept in checkpoint metadata: exact round trip and errors that name the file. */
class InputNormalizationTest {
    @Test
    void roundTripIsExactForAnyFloat() {
        float[] mean = {0.4914f, Math.nextUp(0.1f), -0f, 1e-30f, 123456.79f};
        float[] std = {0.247f, Float.MIN_VALUE, 3.4e38f, 0.1f + 0.2f, 1f / 3};
        Map<String, String> meta = new HashMap<>();
        InputNormalization.record(new Normalize(mean, std), meta);
        Normalize back = InputNormalization.recorded(meta, "f.ckpt");
        assertArrayEquals(mean, back.mean());
        assertArrayEquals(std, back.std());
        InputNormalization.record(null, meta);
        assertTrue(meta.isEmpty(), meta.toString());
        assertNull(InputNormalization.recorded(meta, "f.ckpt"));
    }

    @Test
    void halfOrMalformedRecordsAreErrorsNamingTheFile() {
        var onlyMean = assertThrows(IllegalArgumentException.class,
                () -> InputNormalization.recorded(Map.of(Checkpoint.Meta.INPUT_MEAN, "0.5"), "a.ckpt"));
        assertTrue(onlyMean.getMessage().startsWith("a.ckpt: metadata has input.mean without input.std"), onlyMean.getMessage());
        var notNumber = assertThrows(IllegalArgumentException.class, () -> InputNormalization.recorded(
                Map.of(Checkpoint.Meta.INPUT_MEAN, "0.5,x", Checkpoint.Meta.INPUT_STD, "1,1"), "b.ckpt"));
        assertTrue(notNumber.getMessage().contains("b.ckpt") && notNumber.getMessage().contains("'x' is not a number"), notNumber.getMessage());
        var lengths = assertThrows(IllegalArgumentException.class, () -> InputNormalization.recorded(
                Map.of(Checkpoint.Meta.INPUT_MEAN, "0.5,0.5", Checkpoint.Meta.INPUT_STD, "1"), "c.ckpt"));
        assertTrue(lengths.getMessage().contains("2 means and 1 stds"), lengths.getMessage());
        var zeroStd = assertThrows(IllegalArgumentException.class, () -> InputNormalization.recorded(
                Map.of(Checkpoint.Meta.INPUT_MEAN, "0.5", Checkpoint.Meta.INPUT_STD, "0"), "d.ckpt"));
        assertTrue(zeroStd.getMessage().contains("std must be positive"), zeroStd.getMessage());
    }
}
