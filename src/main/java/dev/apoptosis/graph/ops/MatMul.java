package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.gemm.Gemm;
import java.util.Arrays;
import java.util.Set;

/**
 * Matrix product of two activations, batched over every leading axis: a [.., m, k] times
 * b [.., k, n] gives y [.., m, n]; with {@code transposeB}, b is [.., n, k] and y = a·bᵀ (attention
 * scores q·kᵀ). The leading axes of a and b must be equal (nothing broadcasts); the batch axis is
 * one more leading axis. Attention uses it twice: scores = q·kᵀ and context = p·v.
 *
 * <p>Rules per matrix (written for y = a·b; with transposeB replace b by bᵀ and transpose the results
 * for b: g_b = g_yᵀ a, ġ_b = ġ_yᵀ a [+ g_yᵀ ȧ]):
 * <ul>
 * <li>forward: y = a b</li>
 * <li>backward: g_a = g_y bᵀ; g_b = aᵀ g_y</li>
 * <li>tangent: ẏ = ȧ b + a ḃ</li>
 * <li>rBackward: ġ_a = ġ_y bᵀ [+ g_y ḃᵀ]; ġ_b = aᵀ ġ_y [+ ȧᵀ g_y]; the bracketed terms are the mixed
 *     second derivative of the product of two activations that both depend on θ, included iff
 *     {@link Curvature#bilinear()}: OBA's parallel-connectivity terms.</li>
 * </ul>
 * Each matrix product is one {@link Gemm#sgemm} call; independent matrices run on separate threads.
 */
public final class MatMul extends Op {
    private final boolean transposeB;

    public MatMul(boolean transposeB) {
        this.transposeB = transposeB;
    }

    /** y = a·b. */
    public MatMul() {
        this(false);
    }

    static MatMul fromAttrs(Attrs a) {
        return new MatMul(a.getBool("transposeB", false));
    }

    public boolean transposeB() {
        return transposeB;
    }

    @Override public String kind() { return "MatMul"; }
    @Override public Attrs attrs() { return Attrs.builder().put("transposeB", transposeB).build(); }
    @Override public Set<OpProperty> properties() { return Set.of(OpProperty.ACTIVATION_PRODUCT); }
    @Override public int arity() { return 2; }

    @Override
    public int[] outputShape(int[][] in) {
        int[] a = in[0], b = in[1];
        String desc = "MatMul" + (transposeB ? "(transposeB)" : "") + ": a " + Arrays.toString(a) + " and b " + Arrays.toString(b);
        if (a.length < 2 || b.length < 2) throw new IllegalArgumentException(desc + ": both inputs need at least two axes");
        if (a.length != b.length || !Arrays.equals(Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2))) {
            throw new IllegalArgumentException(desc + ": leading axes differ (no broadcasting)");
        }
        int k = a[a.length - 1];
        int kb = transposeB ? b[b.length - 1] : b[b.length - 2];
        if (k != kb) throw new IllegalArgumentException(desc + ": inner sizes differ (" + k + " vs " + kb + ")");
        int[] y = a.clone();
        y[y.length - 1] = transposeB ? b[b.length - 2] : b[b.length - 1];
        return y;
    }

    @Override
    public long macs(int[][] in, int[] outShape) {
        long n = 1;
        for (int d : outShape) n *= d;
        return n * in[0][in[0].length - 1];
    }

    /** Matrix sizes of this application: count matrices of a [m, k] times op(b) [k, n]. */
    private record Dims(int count, int m, int k, int n) {}

    private Dims dims(Tensor a, Tensor b) {
        int m = a.dim(-2), k = a.dim(-1), n = transposeB ? b.dim(-2) : b.dim(-1);
        return new Dims(a.size() / (m * k), m, k, n);
    }

    /**
     * For each matrix i: c_i (+)= op(x_i) · op(y_i), op = transpose when the flag says so; x_i is
     * rows × inner after op, y_i inner × cols after op. Leading dimensions are those of the stored
     * (untransposed) matrices.
     */
    private static void batched(int count, boolean tx, boolean ty, int rows, int cols, int inner,
                                Tensor x, Tensor y, Tensor c, boolean accumulate) {
        int xs = rows * inner, ys = inner * cols, cs = rows * cols;
        int ldx = tx ? rows : inner, ldy = ty ? inner : cols;
        float[] xd = x.data(), yd = y.data(), cd = c.data();
        int xo = x.offset(), yo = y.offset(), co = c.offset();
        float beta = accumulate ? 1f : 0f;
        Parallel.forRange(count, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                Gemm.sgemm(tx, ty, rows, cols, inner, 1f, xd, xo + i * xs, ldx, yd, yo + i * ys, ldy,
                        beta, cd, co + i * cs, cols);
            }
        });
    }

    /** y (+)= a · op(b). */
    private void product(Dims d, Tensor a, Tensor b, Tensor y, boolean acc) {
        batched(d.count, false, transposeB, d.m, d.n, d.k, a, b, y, acc);
    }

    /** g_a-shaped (+)= g · op(b)ᵀ: g_y bᵀ, or g_y b with transposeB. */
    private void leftAdjoint(Dims d, Tensor g, Tensor b, Tensor ga, boolean acc) {
        batched(d.count, false, !transposeB, d.m, d.k, d.n, g, b, ga, acc);
    }

    /** g_b-shaped (+)= aᵀ g_y, or g_yᵀ a with transposeB. */
    private void rightAdjoint(Dims d, Tensor a, Tensor g, Tensor gb, boolean acc) {
        if (transposeB) batched(d.count, true, false, d.n, d.k, d.m, g, a, gb, acc);
        else batched(d.count, true, false, d.k, d.n, d.m, a, g, gb, acc);
    }

    private Tensor newOutput(Tensor a, Dims d) {
        int[] s = a.shape();
        s[s.length - 1] = d.n;
        // Every rule's first product into it writes it in full (accumulate = false).
        return Tensor.uninitialized(s);
    }

    @Override
    public Tensor forward(Frame f) {
        Tensor a = f.inputs[0], b = f.inputs[1];
        Dims d = dims(a, b);
        Tensor y = newOutput(a, d);
        product(d, a, b, y, false);
        return y;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        Tensor a = f.inputs[0], b = f.inputs[1];
        Dims d = dims(a, b);
        if (out.wantsInput(0)) {
            Tensor ga = Tensor.uninitialized(a.shape());
            leftAdjoint(d, gy, b, ga, false);
            out.input(0, ga);
        }
        if (out.wantsInput(1)) {
            Tensor gb = Tensor.uninitialized(b.shape());
            rightAdjoint(d, a, gy, gb, false);
            out.input(1, gb);
        }
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        if (xDot[0] == null && xDot[1] == null) return null;
        Tensor a = f.inputs[0], b = f.inputs[1];
        Dims d = dims(a, b);
        Tensor y = newOutput(a, d);
        if (xDot[0] != null) product(d, xDot[0], b, y, false);
        if (xDot[1] != null) product(d, a, xDot[1], y, xDot[0] != null);
        return y;
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        Tensor a = f.inputs[0], b = f.inputs[1];
        Dims d = dims(a, b);
        boolean bil = c.bilinear();
        Tensor aDot = xDot[0], bDot = xDot[1];
        if (out.wantsInput(0) && (gyDot != null || (bil && bDot != null))) {
            Tensor ga = Tensor.uninitialized(a.shape());
            if (gyDot != null) leftAdjoint(d, gyDot, b, ga, false);
            if (bil && bDot != null) leftAdjoint(d, gy, bDot, ga, gyDot != null);
            out.input(0, ga);
        }
        if (out.wantsInput(1) && (gyDot != null || (bil && aDot != null))) {
            Tensor gb = Tensor.uninitialized(b.shape());
            if (gyDot != null) rightAdjoint(d, a, gyDot, gb, false);
            if (bil && aDot != null) rightAdjoint(d, aDot, gy, gb, gyDot != null);
            out.input(1, gb);
        }
    }
}
