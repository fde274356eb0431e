package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomCropTest {
    /** Reference: build the zero-padded image explicitly, then copy the window at (top, left) of it. */
    private static float[] reference(float[] img, int c, int h, int w, int pad, int size, int top, int left) {
        int ph = h + 2 * pad, pw = w + 2 * pad;
        float[] padded = new float[c * ph * pw];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) padded[(ch * ph + y + pad) * pw + x + pad] = img[(ch * h + y) * w + x];
        float[] out = new float[c * size * size];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) out[(ch * size + y) * size + x] = padded[(ch * ph + top + y) * pw + left + x];
        return out;
    }

    private static float[] image(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i + 1; // no zeros, so padding is recognisable
        return v;
    }

    @Test
    void smallKnownImageEveryOffset() {
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9}; // 1x3x3
        int[] shape = {1, 3, 3};
        float[] out = new float[9];
        RandomCrop.crop(img, 0, shape, out, 0, -1, -1, 3);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, out);
        RandomCrop.crop(img, 0, shape, out, 0, 1, 0, 3);
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 0, 0, 0}, out);
        RandomCrop.crop(img, 0, shape, out, 0, 0, 1, 3);
        assertArrayEquals(new float[] {2, 3, 0, 5, 6, 0, 8, 9, 0}, out);
        RandomCrop.crop(img, 0, shape, out, 0, 0, 0, 3);
        assertArrayEquals(img, out);
        for (int top = -1; top <= 1; top++)
            for (int left = -1; left <= 1; left++) {
                RandomCrop.crop(img, 0, shape, out, 0, top, left, 3);
                assertArrayEquals(reference(img, 1, 3, 3, 1, 3, top + 1, left + 1), out, "offset " + top + "," + left);
            }
    }

    @Test
    void cifarCropMatchesReferenceForTheDrawnOffsets() {
        int c = 3, h = 32, w = 32, pad = 4;
        float[] img = image(c * h * w);
        RandomCrop crop = new RandomCrop(32, pad);
        assertArrayEquals(new int[] {3, 32, 32}, crop.outputShape(new int[] {3, 32, 32}));
        float[] out = new float[5 + c * 32 * 32];
        Set<Integer> seen = new HashSet<>();
        for (int s = 0; s < 2000; s++) {
            crop.apply(img, 0, new int[] {c, h, w}, out, 5, new SplittableRandom(s));
            SplittableRandom same = new SplittableRandom(s); // top is drawn first, then left
            int top = same.nextInt(2 * pad + 1), left = same.nextInt(2 * pad + 1);
            seen.add(top * 9 + left);
            float[] ref = reference(img, c, h, w, pad, 32, top, left);
            for (int k = 0; k < ref.length; k++) assertEquals(ref[k], out[5 + k], "seed " + s + " value " + k);
        }
        assertEquals(81, seen.size(), "all 9x9 offsets occur");
    }

    @Test
    void smallerCropWithoutPadding() {
        float[] img = image(2 * 5 * 4); // 2x5x4
        RandomCrop crop = new RandomCrop(3, 0);
        float[] out = new float[2 * 9];
        for (int s = 0; s < 50; s++) {
            crop.apply(img, 0, new int[] {2, 5, 4}, out, 0, new SplittableRandom(s));
            SplittableRandom same = new SplittableRandom(s);
            int top = same.nextInt(3), left = same.nextInt(2);
            assertArrayEquals(reference(img, 2, 5, 4, 0, 3, top, left), out);
            for (float v : out) assertTrue(v > 0, "no padding without padding");
        }
    }

    @Test
    void rejectsCropLargerThanPaddedImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomCrop(40, 3).outputShape(new int[] {3, 32, 32}));
        assertTrue(e.getMessage().contains("[3, 32, 32]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(3, -1));
    }
}
