package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelStatsTest {
    @Test
    void meanAndPopulationStdPerChannel() {
        int n = 7, c = 2, plane = 3;
        byte[] px = TestFiles.patternPixels(n, c * plane);
        ByteImageDataset ds = new ByteImageDataset("s", px, new int[n], new int[] {c, 1, plane}, 1, List.of(), 255);
        ChannelStats s = ChannelStats.of(ds);
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            int count = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < plane; k++) { sum += (float) ((px[(i * c + ch) * plane + k] & 0xFF) / 255f); count++; }
            double mean = sum / count, var = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < plane; k++) {
                double d = (float) ((px[(i * c + ch) * plane + k] & 0xFF) / 255f) - mean;
                var += d * d;
            }
            assertEquals(mean, s.mean()[ch], 1e-6, "mean of channel " + ch);
            assertEquals(Math.sqrt(var / count), s.std()[ch], 1e-6, "std of channel " + ch);
        }
    }

    @Test
    void constantChannelNormalisesWithUnitStd() {
        ByteImageDataset ds = new ByteImageDataset("s", new byte[] {51, 51, 51, 51}, new int[] {0, 0}, new int[] {1, 1, 2},
                1, List.of(), 255);
        Normalize n = ChannelStats.of(ds).normalize();
        assertEquals(0.2f, n.mean()[0], 1e-7);
        assertEquals(1f, n.std()[0]);
    }
}
