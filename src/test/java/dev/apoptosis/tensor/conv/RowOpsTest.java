package dev.apoptosis.tensor.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.apoptosis.tensor.Simd;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RowOps#deinterleave} on both paths against a plain loop: every length up to five vectors, odd and even offsets. */
class RowOpsTest {
    @AfterEach
    void restore() {
        Simd.setForceScalar(false);
    }

    @Test
    void deinterleaveSplitsEvenAndOddColumnsOnBothPaths() {
        Random rng = new Random(7);
        float[] src = new float[200];
        for (int i = 0; i < src.length; i++) src[i] = rng.nextFloat();
        for (boolean scalar : new boolean[] {false, true}) {
            Simd.setForceScalar(scalar);
            for (int len = 0; len <= 80; len++) {
                for (int s : new int[] {0, 3}) {
                    float[] expected = new float[2 * len + 10], actual = new float[2 * len + 10];
                    java.util.Arrays.fill(expected, -1f);
                    java.util.Arrays.fill(actual, -1f);
                    int e = 1, o = len + 5;
                    for (int j = 0; 2 * j < len; j++) expected[e + j] = src[s + 2 * j];
                    for (int j = 0; 2 * j + 1 < len; j++) expected[o + j] = src[s + 2 * j + 1];
                    RowOps.deinterleave(src, s, len, actual, e, actual, o);
                    assertArrayEquals(expected, actual, (scalar ? "scalar" : "vector") + " path, length " + len + ", offset " + s);
                }
            }
        }
    }
}
