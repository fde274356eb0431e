package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Transform pipelines: order of steps, shared random stream, and reproducibility from (seed, epoch, position). */
class ComposeTest {
    private static final int[] SHAPE = {3, 8, 8};

    private static float[] image() {
        float[] v = new float[3 * 64];
        for (int i = 0; i < v.length; i++) v[i] = (i % 29) / 28f;
        return v;
    }

    @Test
    void equalsTheStepsAppliedOneByOneWithOneStream() {
        RandomCrop crop = new RandomCrop(6, 2);
        HorizontalFlip flip = new HorizontalFlip(0.5);
        Normalize norm = new Normalize(new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.5f, 0.6f, 0.7f});
        Compose all = Compose.of(crop, flip, norm);
        assertArrayEquals(new int[] {3, 6, 6}, all.outputShape(SHAPE));
        float[] img = image();
        for (int s = 0; s < 200; s++) {
            float[] out = new float[3 * 36];
            all.apply(img, 0, SHAPE, out, 0, new SplittableRandom(s));
            SplittableRandom rng = new SplittableRandom(s);
            float[] a = new float[3 * 36], b = new float[3 * 36], c = new float[3 * 36];
            crop.apply(img, 0, SHAPE, a, 0, rng);
            flip.apply(a, 0, new int[] {3, 6, 6}, b, 0, rng);
            norm.apply(b, 0, new int[] {3, 6, 6}, c, 0, rng);
            assertArrayEquals(c, out, "seed " + s);
        }
    }

    @Test
    void emptyPipelineCopies() {
        float[] img = image(), out = new float[img.length];
        Transform.identity().apply(img, 0, SHAPE, out, 0, new SplittableRandom(0));
        assertArrayEquals(img, out);
    }

    @Test
    void sameSeedEpochAndPositionReproduce() {
        Compose t = Compose.of(new RandomCrop(8, 3), new HorizontalFlip(0.5));
        float[] img = image();
        float[] a = new float[img.length], b = new float[img.length], c = new float[img.length];
        t.apply(img, 0, SHAPE, a, 0, Seeds.augment(42, 3, 17));
        t.apply(img, 0, SHAPE, b, 0, Seeds.augment(42, 3, 17));
        assertArrayEquals(a, b);
        boolean anyDiffers = false;
        for (int e = 4; e < 12 && !anyDiffers; e++) {
            t.apply(img, 0, SHAPE, c, 0, Seeds.augment(42, e, 17));
            anyDiffers = !Arrays.equals(a, c);
        }
        assertTrue(anyDiffers, "other epochs give other augmentations");
    }
}
