package dev.apoptosis.tensor.reduce;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;

/**
 * Softmax cross-entropy on logits {@code z[N, C]} with integer labels, averaged over the batch,
 * with optional label smoothing ε as in PyTorch's {@code cross_entropy(label_smoothing=ε)}: the
 * target of row i is {@code t = (1 - ε) onehot(y_i) + ε/C}, and
 * <pre>
 *   loss = (1/N) Σ_i Σ_c -t_c log p_ic = (1/N) Σ_i [ (1 - ε)(lse_i - z_{i,y_i}) + ε (lse_i - mean_c z_ic) ]
 *   ∂loss/∂z = (p - t) / N
 * </pre>
 * where p = softmax(z) and lse_i = log Σ_c e^(z_ic). The loss is accumulated in float64 and rows
 * are summed in row order, so it is the same for any thread count. For the Gauss–Newton part of
 * rBackward the ops use {@code softmaxJvp(p, ż) / N} ({@link SoftmaxKernels}).
 *
 * <p>The gradient kernel is a plain O(N·C) loop in float64 with no Vector API twin: it runs once
 * per step on the logits and costs nothing next to the softmax.
 */
public final class CrossEntropyKernels {
    private CrossEntropyKernels() {}

    /** The mean loss and the probabilities p = softmax(z) that the backward needs. */
    public record Result(double loss, Tensor probs) {}

    /**
     * Writes p = softmax(z) into {@code probs} and returns the mean loss.
     * Labels must lie in [0, C); ε in [0, 1].
     */
    public static double forward(float[] logits, int off, int[] labels, int labelsOff, int n, int c, float smoothing,
                                 float[] probs, int probsOff) {
        check("crossEntropy", logits, off, labels, labelsOff, n, c, smoothing);
        Kernels.window("crossEntropy", "probs", probs, probsOff, n * c);
        boolean simd = Simd.enabled();
        double[] rowLoss = new double[n];
        double eps = smoothing;
        Parallel.forRange(n, Kernels.rowGrain(c, Kernels.GRAIN_COSTLY), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int zo = off + i * c;
                double lse = SoftmaxKernels.softmaxRow(simd, logits, zo, probs, probsOff + i * c, c);
                double nll = lse - logits[zo + labels[labelsOff + i]];
                double smooth = eps == 0 ? 0 : lse - Reductions.sumRange(simd, logits, zo, c) / c;
                rowLoss[i] = (1 - eps) * nll + eps * smooth;
            }
        });
        double total = 0;
        for (double l : rowLoss) total += l;
        return total / n;
    }

    /** grad = (p - t) / N for probabilities p from {@link #forward}. */
    public static void backward(float[] probs, int probsOff, int[] labels, int labelsOff, int n, int c, float smoothing,
                                float[] grad, int gradOff) {
        check("crossEntropy.backward", probs, probsOff, labels, labelsOff, n, c, smoothing);
        Kernels.window("crossEntropy.backward", "grad", grad, gradOff, n * c);
        double other = (double) smoothing / c, hit = 1.0 - smoothing + other;
        Parallel.forRange(n, Kernels.rowGrain(c, Kernels.GRAIN_CHEAP), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int y = labels[labelsOff + i];
                for (int j = 0; j < c; j++) {
                    double t = j == y ? hit : other;
                    grad[gradOff + i * c + j] = (float) ((probs[probsOff + i * c + j] - t) / n);
                }
            }
        });
    }

    private static void check(String op, float[] z, int off, int[] labels, int labelsOff, int n, int c, float smoothing) {
        if (n < 1 || c < 1) throw new IllegalArgumentException(op + ": needs N >= 1 and C >= 1, got [" + n + ", " + c + "]");
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got " + smoothing);
        }
        Kernels.window(op, "logits", z, off, Kernels.volume(op, n, c, 1));
        Kernels.window(op, "labels", labels, labelsOff, n);
        for (int i = 0; i < n; i++) {
            int y = labels[labelsOff + i];
            if (y < 0 || y >= c) throw new IllegalArgumentException(op + ": label " + y + " of row " + i + " is outside [0, " + c + ")");
        }
    }

    /** Loss and probabilities for logits {@code [N, C]}. */
    public static Result forward(Tensor logits, int[] labels, float smoothing) {
        Shapes.requireRank("crossEntropy", "logits", logits, 2);
        checkLabels("crossEntropy", logits, labels);
        Tensor p = Tensor.zeros(logits.shape());
        double loss = forward(logits.data(), logits.offset(), labels, 0, logits.dim(0), logits.dim(1), smoothing, p.data(), 0);
        return new Result(loss, p);
    }

    /** (p - t) / N for probabilities {@code [N, C]}. */
    public static Tensor backward(Tensor probs, int[] labels, float smoothing) {
        Shapes.requireRank("crossEntropy.backward", "probs", probs, 2);
        checkLabels("crossEntropy.backward", probs, labels);
        Tensor g = Tensor.zeros(probs.shape());
        backward(probs.data(), probs.offset(), labels, 0, probs.dim(0), probs.dim(1), smoothing, g.data(), 0);
        return g;
    }

    private static void checkLabels(String op, Tensor t, int[] labels) {
        if (labels == null || labels.length != t.dim(0)) {
            throw new IllegalArgumentException(op + ": " + (labels == null ? "no" : String.valueOf(labels.length))
                    + " labels for logits of shape " + Shapes.str(t.shape()));
        }
    }
}
