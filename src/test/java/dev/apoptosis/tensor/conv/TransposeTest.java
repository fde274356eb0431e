package dev.apoptosis.tensor.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.apoptosis.tensor.Simd;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Transpose}'s two tile orders, on the vector and scalar paths, against the one-line definition. */
class TransposeTest {
    @AfterEach
    void restore() {
        Simd.setForceScalar(false);
    }

    /** Shapes with whole tiles, ragged edges on either side, and fewer rows or columns than a tile. */
    private static final int[][] SHAPES = {{16, 16}, {32, 256}, {11, 64}, {23, 37}, {48, 17}, {5, 3}, {17, 33}, {64, 8}};

    @Test
    void transposeMatchesTheDefinition() {
        for (boolean scalar : new boolean[] {false, true}) {
            Simd.setForceScalar(scalar);
            for (int[] shape : SHAPES) check(shape[0], shape[1], false);
        }
    }

    @Test
    void scatterMatchesTheDefinition() {
        for (boolean scalar : new boolean[] {false, true}) {
            Simd.setForceScalar(scalar);
            for (int[] shape : SHAPES) check(shape[0], shape[1], true);
        }
    }

    /** Offsets and leading dimensions wider than the block, so every index term is exercised; untouched values must stay. */
    private static void check(int rows, int cols, boolean scatter) {
        int lds = cols + 5, ldd = rows + 3, sOff = 7, dOff = 11;
        Random rng = new Random(rows * 31L + cols);
        float[] src = new float[sOff + rows * lds];
        for (int i = 0; i < src.length; i++) src[i] = rng.nextFloat();
        float[] want = new float[dOff + cols * ldd + 4];
        java.util.Arrays.fill(want, -1f);
        float[] got = want.clone();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) want[dOff + c * ldd + r] = src[sOff + r * lds + c];
        }
        if (scatter) {
            Transpose.scatter(src, sOff, rows, cols, lds, got, dOff, ldd);
        } else {
            Transpose.transpose(src, sOff, rows, cols, lds, got, dOff, ldd);
        }
        assertArrayEquals(want, got, (scatter ? "scatter " : "transpose ") + rows + "x" + cols + " scalar=" + !Simd.enabled());
    }
}
