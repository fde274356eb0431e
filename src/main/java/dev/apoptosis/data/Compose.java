package dev.apoptosis.data;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Transforms applied one after another, passing the image between two per-thread scratch buffers;
 * every step draws from the same per-sample random stream in order. With no steps it copies.
 */
public final class Compose implements Transform {
    private final List<Transform> steps;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[2][0]);

    private Compose(List<Transform> steps) {
        this.steps = List.copyOf(steps);
    }

    public static Compose of(Transform... steps) {
        return new Compose(Arrays.asList(steps));
    }

    public List<Transform> steps() {
        return steps;
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] s = in.clone();
        for (Transform t : steps) s = t.outputShape(s);
        return s;
    }

    @Override
    public void apply(float[] src, int srcOff, int[] shape, float[] dst, int dstOff, RandomGenerator rng) {
        int n = steps.size();
        if (n == 0) {
            System.arraycopy(src, srcOff, dst, dstOff, shape[0] * shape[1] * shape[2]);
            return;
        }
        if (n == 1) {
            steps.get(0).apply(src, srcOff, shape, dst, dstOff, rng);
            return;
        }
        float[][] buf = scratch.get();
        int[] s = shape.clone();
        float[] in = src;
        int inOff = srcOff;
        for (int k = 0; k < n; k++) {
            Transform t = steps.get(k);
            int[] o = t.outputShape(s);
            if (k == n - 1) {
                t.apply(in, inOff, s, dst, dstOff, rng);
            } else {
                int b = k & 1;
                int need = o[0] * o[1] * o[2];
                if (buf[b].length < need) buf[b] = new float[need];
                t.apply(in, inOff, s, buf[b], 0, rng);
                in = buf[b];
                inOff = 0;
            }
            s = o;
        }
    }

    @Override
    public String toString() {
        return steps.toString();
    }
}
