package dev.apoptosis.prune;

import dev.apoptosis.tensor.Tensor;

/** Copies of a tensor without some indices along some axes (the physical part of surgery). */
final class TensorSlicing {
    private TensorSlicing() {}

    /**
     * A new tensor holding the entries of {@code t} whose index along every axis a is not flagged in
     * {@code removed[a]} (null: keep the whole axis).
     */
    static Tensor without(Tensor t, boolean[][] removed) {
        int[] shape = t.shape();
        int r = shape.length;
        int[][] kept = new int[r][];
        int[] newShape = new int[r];
        for (int a = 0; a < r; a++) {
            int n = 0;
            int[] k = new int[shape[a]];
            for (int i = 0; i < shape[a]; i++) if (removed[a] == null || !removed[a][i]) k[n++] = i;
            kept[a] = java.util.Arrays.copyOf(k, n);
            newShape[a] = n;
        }
        Tensor out = Tensor.zeros(newShape);
        int[] stride = new int[r];
        for (int a = r - 1, s = 1; a >= 0; a--) {
            stride[a] = s;
            s *= shape[a];
        }
        float[] src = t.data(), dst = out.data();
        int base = t.offset();
        int[] pos = new int[r];
        for (int o = 0; o < out.size(); o++) {
            int at = base;
            for (int a = 0; a < r; a++) at += kept[a][pos[a]] * stride[a];
            dst[o] = src[at];
            for (int a = r - 1; a >= 0; a--) {
                if (++pos[a] < newShape[a]) break;
                pos[a] = 0;
            }
        }
        return out;
    }
}
