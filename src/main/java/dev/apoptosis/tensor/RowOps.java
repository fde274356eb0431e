package dev.apoptosis.tensor;

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

    /** {@code dst[d + i] += a * src[s + i]} for {@code i < len}. */
    static void axpy(float[] dst, int d, float a, float[] src, int s, int len) {
        if (Simd.enabled()) {
            RowOpsVector.axpy(dst, d, a, src, s, len);
            return;
        }
        for (int i = 0; i < len; i++) dst[d + i] += a * src[s + i];
    }
}
