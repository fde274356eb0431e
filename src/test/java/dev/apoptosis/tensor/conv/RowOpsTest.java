package dev.apoptosis.tensor.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.apoptosis.tensor.Simd;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RowOps#deinterleave}, {@link RowOps#storePlus} and {@link RowOps#addScalar} on both paths against plain
 * loops, bit for bit: every length up to five vectors, odd and even offsets.
 */
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

    @Test
    void storePlusAndAddScalarRoundAsThePlainLoopsOnBothPaths() {
        Random rng = new Random(8);
        float[] src = new float[120], start = new float[120];
        for (int i = 0; i < src.length; i++) {
            src[i] = rng.nextFloat() - 0.5f;
            start[i] = 3 * rng.nextFloat();
        }
        float b = 0.1234567f;
        for (boolean scalar : new boolean[] {false, true}) {
            Simd.setForceScalar(scalar);
            for (int len = 0; len <= 80; len++) {
                for (int s : new int[] {0, 3}) {
                    String what = (scalar ? "scalar" : "vector") + " path, length " + len + ", offset " + s;
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] expected = start.clone(), actual = start.clone();
                        for (int i = 0; i < len; i++) expected[5 + i] = (accumulate ? expected[5 + i] + src[s + i] : src[s + i]) + b;
                        RowOps.storePlus(actual, 5, src, s, b, len, accumulate);
                        assertArrayEquals(expected, actual, "storePlus, accumulate " + accumulate + ", " + what);
                    }
                    float[] expected = start.clone(), actual = start.clone();
                    for (int i = 0; i < len; i++) expected[s + i] += b;
                    RowOps.addScalar(actual, s, b, len);
                    assertArrayEquals(expected, actual, "addScalar, " + what);
                }
            }
        }
    }
}
