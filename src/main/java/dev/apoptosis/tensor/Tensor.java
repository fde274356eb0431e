package dev.apoptosis.tensor;

import java.util.Arrays;
import java.util.Random;

/**
 * A dense float32 tensor: a shape over a row-major window of a {@code float[]}.
 *
 * <p>A tensor is a <em>view</em>: {@link #reshape} and {@link #slice0} share storage with the
 * original and cost nothing; {@link #copy} is the only way to get independent storage. The
 * window is always contiguous ({@link #offset()} to {@code offset() + size()}), so kernels can
 * take {@code (data(), offset())} and index it as a flat row-major array.
 *
 * <p>Tensors carry no autodiff state: gradients, tangents and adjoints are plain tensors that the
 * engine in {@code dev.apoptosis.autodiff} keeps next to the graph.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int size;

    private Tensor(float[] data, int offset, int[] shape) {
        this.shape = shape.clone();
        this.size = checkedSize(shape);
        if (offset < 0 || offset + size > data.length) {
            throw new IllegalArgumentException("Tensor: window [" + offset + ", " + (offset + size)
                    + ") of shape " + Arrays.toString(shape) + " exceeds storage of " + data.length);
        }
        this.data = data;
        this.offset = offset;
    }

    /** A new zero-filled tensor. */
    public static Tensor zeros(int... shape) {
        return new Tensor(new float[checkedSize(shape)], 0, shape);
    }

    /**
     * A tensor whose values are unspecified: storage from {@link Recycler#take}, for an output its
     * kernel writes in full (every element, whatever the path) before anyone reads it.
     */
    public static Tensor uninitialized(int... shape) {
        return new Tensor(Recycler.take(checkedSize(shape)), 0, shape);
    }

    /** A new tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape; sizes must match exactly. */
    public static Tensor wrap(float[] data, int... shape) {
        if (checkedSize(shape) != data.length) {
            throw new IllegalArgumentException("Tensor.wrap: " + data.length + " values do not fill shape "
                    + Arrays.toString(shape));
        }
        return new Tensor(data, 0, shape);
    }

    /**
     * A view of the window of {@code data} that starts at {@code offset} (named apart from
     * {@link #wrap} so that {@code wrap(data, 2, 5)} is unambiguous).
     */
    public static Tensor window(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, shape);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, 0, new int[0]);
    }

    /** Standard normal values times {@code std}. */
    public static Tensor randn(Random rng, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.size; i++) t.data[i] = (float) (rng.nextGaussian() * std);
        return t;
    }

    /** Uniform values in [lo, hi). */
    public static Tensor uniform(Random rng, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.size; i++) t.data[i] = lo + (hi - lo) * rng.nextFloat();
        return t;
    }

    /** The backing array; index it from {@link #offset()}. */
    public float[] data() {
        return data;
    }

    /** Index of element 0 in {@link #data()}. */
    public int offset() {
        return offset;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        int k = i < 0 ? shape.length + i : i;
        if (k < 0 || k >= shape.length) {
            throw new IllegalArgumentException("Tensor.dim: dimension " + i + " out of range for shape "
                    + Arrays.toString(shape));
        }
        return shape[k];
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    /** True if the shapes are equal element by element. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public boolean hasShape(int... s) {
        return Arrays.equals(shape, s);
    }

    /** A view with a new shape of the same size; one dimension may be -1 and is inferred. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(newShape));
                infer = i;
            } else {
                if (s[i] < 0) throw new IllegalArgumentException("reshape: negative dimension in " + Arrays.toString(newShape));
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer -1 reshaping " + Arrays.toString(shape)
                        + " to " + Arrays.toString(newShape));
            }
            s[infer] = (int) (size / known);
        }
        if (checkedSize(s) != size) {
            throw new IllegalArgumentException("reshape: " + Arrays.toString(shape) + " (" + size + " values) to "
                    + Arrays.toString(newShape));
        }
        return new Tensor(data, offset, s);
    }

    /** A view of rows {@code [start, end)} along dimension 0. */
    public Tensor slice0(int start, int end) {
        if (shape.length == 0 || start < 0 || end > shape[0] || start > end) {
            throw new IllegalArgumentException("slice0: [" + start + ", " + end + ") of shape " + Arrays.toString(shape));
        }
        int row = shape[0] == 0 ? 0 : size / shape[0];
        int[] s = shape.clone();
        s[0] = end - start;
        return new Tensor(data, offset + start * row, s);
    }

    /** An independent copy. */
    public Tensor copy() {
        return new Tensor(Arrays.copyOfRange(data, offset, offset + size), 0, shape);
    }

    /** The values as a fresh array. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** Copies {@code src}'s values into this tensor; sizes must match. */
    public Tensor copyFrom(Tensor src) {
        if (src.size != size) {
            throw new IllegalArgumentException("copyFrom: sizes differ, " + Arrays.toString(src.shape) + " into "
                    + Arrays.toString(shape));
        }
        System.arraycopy(src.data, src.offset, data, offset, size);
        return this;
    }

    public Tensor fill(float v) {
        Arrays.fill(data, offset, offset + size, v);
        return this;
    }

    /** Value at flat index {@code i} of the window. */
    public float at(int i) {
        return data[offset + i];
    }

    public void setAt(int i, float v) {
        data[offset + i] = v;
    }

    /** Value at a multi-index. */
    public float get(int... idx) {
        return data[offset + flatIndex(idx)];
    }

    public void set(float v, int... idx) {
        data[offset + flatIndex(idx)] = v;
    }

    private int flatIndex(int[] idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + idx.length + " for shape " + Arrays.toString(shape));
        }
        int f = 0;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " for shape " + Arrays.toString(shape));
            }
            f = f * shape[i] + idx[i];
        }
        return f;
    }

    static int checkedSize(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(" [");
        int n = Math.min(size, 8);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append(data[offset + i]);
        }
        if (size > n) sb.append(", ...");
        return sb.append(']').toString();
    }
}
