package dev.apoptosis.tensor.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ImplicitIm2row} on its own, with a channels-last buffer of exactly
 * {@link ImplicitIm2row#channelsLastFloats} floats (the convolution tests reuse grown scratch buffers,
 * so they cannot see a read past the end): against gY · rows with the rows built by {@link Im2row}.
 */
class ImplicitIm2rowTest {
    @Test
    void raggedPanelsOfTheLastGroupStayInsideTheBuffer() {
        assumeTrue(Simd.enabled(), "vector path only");
        // Two groups of 30 channels: each tap's last panel is ragged, and for the last group the
        // spare lanes of the last pixel run past the images into the buffer's tail.
        ConvGeometry g = ConvGeometry.builder().batch(3).input(60, 5, 4).outChannels(34).kernel(3).padding(1).groups(2).build();
        int nt = 3, cin = 60, cg = 30, mg = 17, taps = 9, kg = cg * taps, hw = 20, p = 20, cols = nt * p;
        Random rng = new Random(5);
        float[] xt = new float[ImplicitIm2row.channelsLastFloats(nt, hw, cin)];
        for (int i = 0; i < nt * hw * cin; i++) xt[i] = (float) rng.nextGaussian();
        for (int i = nt * hw * cin; i < xt.length; i++) xt[i] = Float.NaN;  // never to reach a stored sum
        float[] gy = new float[mg * cols];
        for (int i = 0; i < gy.length; i++) gy[i] = (float) rng.nextGaussian();
        float[] rows = new float[cols * kg];
        for (int gi = 0; gi < 2; gi++) {
            for (int i = 0; i < nt; i++) Im2row.im2row(g, xt, i * hw * cin, cin, gi * cg, cg, rows, i * p);
            float[] c = new float[mg * kg];
            ImplicitIm2row.multiply(g, ImplicitIm2row.Plan.of(g, nt), nt, mg, gy, 0, cols, xt, gi * cg, 0f, c, 0, kg);
            for (int m = 0; m < mg; m++) {
                for (int k = 0; k < kg; k++) {
                    double s = 0;
                    for (int q = 0; q < cols; q++) s += (double) gy[m * cols + q] * rows[q * kg + k];
                    assertEquals(s, c[m * kg + k], 1e-4 * Math.max(1, Math.abs(s)), "group " + gi + " filter " + m + " column " + k);
                }
            }
        }
    }
}
