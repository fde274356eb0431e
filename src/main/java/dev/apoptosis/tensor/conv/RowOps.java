package dev.apoptosis.tensor.conv;

import dev.apoptosis.tensor.Simd;

/**
 * Element-wise row operations used by the convolution and pooling kernels, with a Vector API path
 * ({@link RowOpsVector}) and the scalar loops below as its twin; {@link Simd#enabled()} chooses on
 * every call. HotSpot does not vectorise these loops by itself (source and destination may be the
 * same array), and they dominate col2im and the depthwise kernels. Both paths compute each element
 * with the same single rounding (a separate multiply and add, never a fused multiply-add), so
 * their results are bit-identical.
 */
final class RowOps {
    private RowOps() {}

    /** {@code dst[d + i] += src[s + i]} for {@code i < len}. */
    static void add(float[] dst, int d, float[] src, int s, int len) {
        if (Simd.enabled()) {
            RowOpsVector.add(dst, d, src, s, len);
            return;
        }
        for (int i = 0; i < len; i++) dst[d + i] += src[s + i];
    }

    /**
     * {@code dst[d + i] = src[s + i] + b}, or with {@code accumulate} {@code dst[d + i] = (dst[d + i] + src[s + i]) + b},
     * for {@code i < len}: storing a tile of a convolution's outputs with its bias.
     */
    static void storePlus(float[] dst, int d, float[] src, int s, float b, int len, boolean accumulate) {
        if (Simd.enabled()) {
            RowOpsVector.storePlus(dst, d, src, s, b, len, accumulate);
            return;
        }
        if (accumulate) {
            for (int i = 0; i < len; i++) dst[d + i] = (dst[d + i] + src[s + i]) + b;
        } else {
            for (int i = 0; i < len; i++) dst[d + i] = src[s + i] + b;
        }
    }

    /** {@code dst[d + i] += b} for {@code i < len}. */
    static void addScalar(float[] dst, int d, float b, int len) {
        if (Simd.enabled()) {
            RowOpsVector.addScalar(dst, d, b, len);
            return;
        }
        for (int i = 0; i < len; i++) dst[d + i] += b;
    }

    /** {@code dst[d + i] += a * src[s + i]} for {@code i < len}. */
    static void axpy(float[] dst, int d, float a, float[] src, int s, int len) {
        if (Simd.enabled()) {
            RowOpsVector.axpy(dst, d, a, src, s, len);
            return;
        }
        for (int i = 0; i < len; i++) dst[d + i] += a * src[s + i];
    }

    /**
     * {@code even[e + j] = src[s + 2 j]} for {@code j < (len + 1) / 2} and {@code odd[o + j] = src[s + 2 j + 1]}
     * for {@code j < len / 2}: a row of {@code len} floats split into its even and odd columns (a stride-2
     * convolution's phase planes).
     */
    static void deinterleave(float[] src, int s, int len, float[] even, int e, float[] odd, int o) {
        int done = Simd.enabled() ? RowOpsVector.deinterleave(src, s, len, even, e, odd, o) : 0;
        // Two plain loops: one interleaving both writes ran 0.83x as fast (stride 2 at 16x16, 8 columns each).
        for (int j = done, n = (len + 1) / 2; j < n; j++) even[e + j] = src[s + 2 * j];
        for (int j = done, n = len / 2; j < n; j++) odd[o + j] = src[s + 2 * j + 1];
    }

    /** {@code dst[d + i] = src[s + i]} for {@code i < len}; for the short runs where {@code System.arraycopy}'s call costs more than the copy. */
    static void copy(float[] dst, int d, float[] src, int s, int len) {
        if (Simd.enabled()) {
            RowOpsVector.copy(dst, d, src, s, len);
            return;
        }
        for (int i = 0; i < len; i++) dst[d + i] = src[s + i];
    }

    /** {@code runs} copies of {@code len} values: run {@code r} goes from {@code src[s + r*sStride]} to {@code dst[d + r*dStride]}. */
    static void copyRuns(float[] dst, int d, int dStride, float[] src, int s, int sStride, int runs, int len) {
        if (Simd.enabled()) {
            RowOpsVector.copyRuns(dst, d, dStride, src, s, sStride, runs, len);
            return;
        }
        for (int r = 0; r < runs; r++) {
            int dr = d + r * dStride, sr = s + r * sStride;
            for (int i = 0; i < len; i++) dst[dr + i] = src[sr + i];
        }
    }
}
