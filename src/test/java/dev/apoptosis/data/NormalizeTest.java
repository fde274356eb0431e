package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NormalizeTest {
    @Test
    void subtractsThenDividesPerChannelInFloat() {
        float[] mean = {0.4914f, 0.4822f, 0.4465f}, std = {0.2470f, 0.2435f, 0.2616f};
        int plane = 6;
        float[] img = new float[3 * plane];
        for (int i = 0; i < img.length; i++) img[i] = (i * 37 % 256) / 255f;
        float[] out = new float[img.length + 1];
        new Normalize(mean, std).apply(img, 0, new int[] {3, 2, 3}, out, 1, new SplittableRandom(0));
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float x = img[c * plane + i];
                float expected = (x - mean[c]) / std[c];
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[1 + c * plane + i]), "c" + c + " i" + i);
                assertEquals((x - (double) mean[c]) / std[c], out[1 + c * plane + i], 1e-6);
            }
        }
    }

    @Test
    void rejectsChannelMismatch() {
        Normalize n = new Normalize(new float[] {0.5f}, new float[] {0.25f});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.outputShape(new int[] {3, 4, 4}));
        assertTrue(e.getMessage().contains("3 channels") && e.getMessage().contains("[3, 4, 4]"), e.getMessage());
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0.5f}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0.5f, 0.1f}, new float[] {1f}));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[0], new float[0]));
    }
}
