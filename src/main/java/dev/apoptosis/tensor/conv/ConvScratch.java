package dev.apoptosis.tensor.conv;

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
    /**
     * The independent buffers a thread may hold at the same time: those of im2col + GEMM (with the
     * weights rearranged for an input gradient or a pair of convolutions, which the calling thread
     * writes and every thread of the call reads), then those of Winograd (the filters as computed
     * and as packed for the GEMMs, transformed operands, the 16 products, transform planes,
     * weight-gradient partials, one or two zero-padded input rows and a row of zeros, the input windows of a
     * vector of small images' tiles).
     */
    enum Slot {
        PATCHES, GEMM_OUT, FLIPPED_WEIGHT, FLIPPED_WEIGHT_2, STACKED_FILTERS, PACKED_GRAD, PARTIALS, CHANNELS_LAST, IMPLICIT_PACKED_A, IMPLICIT_TILE, IMPLICIT_INPUT, IMPLICIT_FILTERS, IMPLICIT_STAGE, IMPLICIT_PARTIAL, PADDED_INPUT, PADDED_GRAD, PHASE_ODD_TILE, PHASE_PAIRS,
        WINOGRAD_FILTERS, WINOGRAD_PACKED_FILTERS, WINOGRAD_TRANSFORMED, WINOGRAD_PRODUCTS, WINOGRAD_PLANES, WINOGRAD_PARTIALS, WINOGRAD_ROW, WINOGRAD_ROW_2, WINOGRAD_ZEROS, WINOGRAD_WINDOWS,
        BATCH_INNER_GRAD, BATCH_INNER_INPUT, BATCH_INNER_TMP
    }

    /** The int buffers a thread may hold at the same time. */
    enum IntSlot { WINOGRAD_OUTPUT_INDEX, WINOGRAD_INPUT_WINDOW }

    private static final ThreadLocal<float[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new float[Slot.values().length][]);
    private static final ThreadLocal<int[][]> INT_BUFFERS =
            ThreadLocal.withInitial(() -> new int[IntSlot.values().length][]);

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

    /** This thread's int buffer for {@code slot}, at least {@code size} long, contents unspecified. */
    static int[] ints(IntSlot slot, int size) {
        int[][] all = INT_BUFFERS.get();
        int[] b = all[slot.ordinal()];
        if (b == null || b.length < size) {
            b = new int[size];
            all[slot.ordinal()] = b;
        }
        return b;
    }
}
