package dev.apoptosis.tensor;

/**
 * Per-thread reusable float buffers for the convolution and pooling kernels.
 *
 * <p>The GEMM formulation of a convolution needs a patch matrix (im2col) per image, a few hundred
 * KB each; allocating it per call and per thread would churn the heap, and one buffer for the whole
 * batch would be hundreds of MB. Each thread therefore keeps one buffer per {@link Slot}, grown on
 * demand and never shrunk, so a pool thread holds at most the largest size it has needed. Contents
 * are garbage on return: callers write before they read. A slot must not be taken twice by the
 * same thread at once; kernels that need several buffers use distinct slots.
 */
final class ConvScratch {
    /** The independent buffers a thread may hold at the same time. */
    enum Slot { PATCHES, GEMM_OUT, PACKED_GRAD, PARTIALS, CHANNELS_LAST }

    private static final ThreadLocal<float[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new float[Slot.values().length][]);

    private ConvScratch() {}

    /** This thread's buffer for {@code slot}, at least {@code size} long, contents unspecified. */
    static float[] floats(Slot slot, int size) {
        float[][] all = BUFFERS.get();
        float[] b = all[slot.ordinal()];
        if (b == null || b.length < size) {
            b = new float[size];
            all[slot.ordinal()] = b;
        }
        return b;
    }
}
