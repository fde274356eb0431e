package dev.apoptosis.onnx;

import dev.apoptosis.onnx.Val.Const;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * Constant folding for {@link OnnxImport}: the ONNX ops that, on constants, compute the shapes and
 * constants of a graph (Shape → Gather → Unsqueeze → Concat chains feeding Reshape, scalars of
 * decomposed patterns). Semantics follow the ONNX operator definitions, with numpy broadcasting.
 * Results are capped at {@link #MAX_VALUES} values, so no folded constant can grow beyond what a
 * shape computation needs. A NaN value (the run-time batch size) propagates through arithmetic.
 */
final class Consts {
    static final int MAX_VALUES = 1 << 24;

    private Consts() {}

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            n = d == 0 ? 0 : n > MAX_VALUES / d ? MAX_VALUES + 1L : n * d;
            if (n > MAX_VALUES) throw new IllegalArgumentException("a folded constant of " + Arrays.toString(dims) + " is too large");
        }
        return n;
    }

    private static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** The numpy-broadcast shape of a and b; an error if they do not broadcast. */
    static long[] broadcastDims(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (x != y && x != 1 && y != 1) throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** c's values broadcast to {@code dims} (which must be a broadcast of c's shape). */
    static double[] broadcastTo(Const c, long[] dims) {
        long[] full = broadcastDims(c.dims(), dims);
        if (!Arrays.equals(full, dims)) throw new IllegalArgumentException("constant " + Arrays.toString(c.dims()) + " does not broadcast to " + Arrays.toString(dims));
        int n = (int) count(dims), r = dims.length;
        long[] cd = new long[r];
        int off = r - c.rank();
        for (int i = 0; i < r; i++) cd[i] = i >= off ? c.dims()[i - off] : 1;
        long[] cs = strides(cd), os = strides(dims);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long rem = i, src = 0;
            for (int d = 0; d < r; d++) {
                long idx = rem / os[d];
                rem %= os[d];
                if (cd[d] != 1) src += idx * cs[d];
            }
            out[i] = c.v()[(int) src];
        }
        return out;
    }

    static Const binary(Const a, Const b, DoubleBinaryOperator f) {
        long[] dims = broadcastDims(a.dims(), b.dims());
        double[] x = broadcastTo(a, dims), y = broadcastTo(b, dims);
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(x[i], y[i]);
        return new Const(dims, out, a.integer() && b.integer());
    }

    static int axis(long axis, int rank, String what) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException(what + " axis " + axis + " out of range for rank " + rank);
        return (int) a;
    }

    static Const gather(Const data, Const idx, long axisAttr) {
        int axis = axis(axisAttr, data.rank(), "Gather");
        long[] dims = new long[data.rank() - 1 + idx.rank()];
        int k = 0;
        for (int i = 0; i < axis; i++) dims[k++] = data.dims()[i];
        for (long d : idx.dims()) dims[k++] = d;
        for (int i = axis + 1; i < data.rank(); i++) dims[k++] = data.dims()[i];
        long outer = 1, inner = 1, len = data.dims()[axis];
        for (int i = 0; i < axis; i++) outer *= data.dims()[i];
        for (int i = axis + 1; i < data.rank(); i++) inner *= data.dims()[i];
        double[] out = new double[(int) count(dims)];
        int p = 0;
        for (long o = 0; o < outer; o++) {
            for (double iv : idx.v()) {
                long j = (long) iv;
                if (j < 0) j += len;
                if (j < 0 || j >= len) throw new IllegalArgumentException("Gather index " + (long) iv + " out of range for " + len);
                for (long q = 0; q < inner; q++) out[p++] = data.v()[(int) ((o * len + j) * inner + q)];
            }
        }
        return new Const(dims, out, data.integer());
    }

    static Const unsqueeze(Const c, long[] axes) {
        int r = c.rank() + axes.length;
        boolean[] ins = new boolean[r];
        for (long a : axes) {
            int ax = axis(a, r, "Unsqueeze");
            if (ins[ax]) throw new IllegalArgumentException("Unsqueeze axis " + a + " repeated");
            ins[ax] = true;
        }
        long[] dims = new long[r];
        for (int i = 0, k = 0; i < r; i++) dims[i] = ins[i] ? 1 : c.dims()[k++];
        return new Const(dims, c.v(), c.integer());
    }

    static Const squeeze(Const c, long[] axes) {
        boolean[] drop = new boolean[c.rank()];
        if (axes == null) {
            for (int i = 0; i < c.rank(); i++) drop[i] = c.dims()[i] == 1;
        } else {
            for (long a : axes) {
                int ax = axis(a, c.rank(), "Squeeze");
                if (c.dims()[ax] != 1) throw new IllegalArgumentException("Squeeze axis " + a + " has size " + c.dims()[ax]);
                drop[ax] = true;
            }
        }
        long[] dims = new long[c.rank()];
        int k = 0;
        for (int i = 0; i < c.rank(); i++) if (!drop[i]) dims[k++] = c.dims()[i];
        return new Const(Arrays.copyOf(dims, k), c.v(), c.integer());
    }

    static Const concat(Const[] cs, long axisAttr) {
        int r = cs[0].rank();
        int axis = axis(axisAttr, r, "Concat");
        long[] dims = cs[0].dims().clone();
        dims[axis] = 0;
        for (Const c : cs) {
            if (c.rank() != r) throw new IllegalArgumentException("Concat of ranks " + r + " and " + c.rank());
            for (int i = 0; i < r; i++) if (i != axis && c.dims()[i] != dims[i]) throw new IllegalArgumentException("Concat shapes differ off the axis");
            dims[axis] += c.dims()[axis];
        }
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= dims[i];
        for (int i = axis + 1; i < r; i++) inner *= dims[i];
        double[] out = new double[(int) count(dims)];
        int p = 0;
        for (long o = 0; o < outer; o++) {
            for (Const c : cs) {
                long block = c.dims()[axis] * inner;
                System.arraycopy(c.v(), (int) (o * block), out, p, (int) block);
                p += (int) block;
            }
        }
        boolean integer = true;
        for (Const c : cs) integer &= c.integer();
        return new Const(dims, out, integer);
    }

    /** Slice of a 1-D constant (shape arithmetic never slices more). */
    static Const slice1d(Const c, long start, long end, long step) {
        if (c.rank() != 1) throw new IllegalArgumentException("Slice of a rank-" + c.rank() + " constant is not supported");
        if (step == 0) throw new IllegalArgumentException("Slice step 0");
        long n = c.dims()[0];
        start = clamp(start < 0 ? start + n : start, step > 0 ? 0 : -1, step > 0 ? n : n - 1);
        end = clamp(end < 0 ? end + n : end, step > 0 ? 0 : -1, step > 0 ? n : n - 1);
        double[] out = new double[(int) Math.min(n, Math.max(0, step > 0 ? (end - start + step - 1) / step : (start - end - step - 1) / -step))];
        for (int i = 0; i < out.length; i++) out[i] = c.v()[(int) (start + i * step)];
        return new Const(new long[] {out.length}, out, c.integer());
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static Const transpose(Const c, long[] perm) {
        int r = c.rank();
        long[] dims = new long[r];
        for (int i = 0; i < r; i++) dims[i] = c.dims()[(int) perm[i]];
        long[] is = strides(c.dims()), os = strides(dims);
        double[] out = new double[c.v().length];
        for (int i = 0; i < out.length; i++) {
            long rem = i, src = 0;
            for (int d = 0; d < r; d++) {
                long idx = rem / os[d];
                rem %= os[d];
                src += idx * is[(int) perm[d]];
            }
            out[i] = c.v()[(int) src];
        }
        return new Const(dims, out, c.integer());
    }

    static float[] floats(Const c) {
        float[] f = new float[c.v().length];
        for (int i = 0; i < f.length; i++) f[i] = (float) c.v()[i];
        return f;
    }
}
