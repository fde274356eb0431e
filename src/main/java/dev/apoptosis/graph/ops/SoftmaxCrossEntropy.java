package dev.apoptosis.graph.ops;

import dev.apoptosis.autodiff.Curvature;
import dev.apoptosis.autodiff.Loss;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Tensor;

/**
 * Softmax cross-entropy on logits z [N, C] with integer labels, mean over the batch, optional label
 * smoothing ε (target t = (1−ε)·onehot + ε/C, as PyTorch).
 *
 * <p>Rules: L = −(1/N) Σ_n Σ_c t_nc log p_nc with p = softmax(z);
 * g_z = (p − t)/N; ġ_z = (p ⊙ ż − p (pᵀż))/N when the loss curvature is included, else zero.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final double smoothing;

    public SoftmaxCrossEntropy() {
        this(0.0);
    }

    public SoftmaxCrossEntropy(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.smoothing = labelSmoothing;
    }

    @Override
    public Evaluation evaluate(Tensor z, int[] labels) {
        Shapes.requireRank("SoftmaxCrossEntropy", "logits", z, 2);
        int n = z.dim(0), c = z.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: " + labels.length + " labels for logits of shape [" + n + ", " + c + "]");
        }
        Tensor p = Tensor.zeros(n, c);
        float[] zd = z.data(), pd = p.data();
        int zo = z.offset();
        double total = 0;
        for (int r = 0; r < n; r++) {
            int y = labels[r];
            if (y < 0 || y >= c) throw new IllegalArgumentException("SoftmaxCrossEntropy: label " + y + " at row " + r + " outside [0, " + c + ")");
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, zd[zo + r * c + j]);
            double s = 0;
            for (int j = 0; j < c; j++) s += Math.exp(zd[zo + r * c + j] - max);
            double lse = max + Math.log(s);
            double rowLoss = 0;
            for (int j = 0; j < c; j++) {
                double logp = zd[zo + r * c + j] - lse;
                pd[r * c + j] = (float) Math.exp(logp);
                double t = (j == y ? 1 - smoothing : 0) + smoothing / c;
                rowLoss -= t * logp;
            }
            total += rowLoss;
        }
        double value = total / n;
        return new Evaluation() {
            @Override public double value() {
                return value;
            }

            @Override public Tensor gradient() {
                Tensor g = Tensor.zeros(n, c);
                float[] gd = g.data();
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < c; j++) {
                        double t = (j == labels[r] ? 1 - smoothing : 0) + smoothing / c;
                        gd[r * c + j] = (float) ((pd[r * c + j] - t) / n);
                    }
                }
                return g;
            }

            @Override public Tensor rGradient(Tensor zDot, Curvature curv) {
                if (zDot == null || !curv.lossCurvature()) return null;
                Shapes.requireSame("SoftmaxCrossEntropy.rGradient", z, zDot);
                Tensor g = Tensor.zeros(n, c);
                float[] gd = g.data(), td = zDot.data();
                int to = zDot.offset();
                for (int r = 0; r < n; r++) {
                    double pz = 0;
                    for (int j = 0; j < c; j++) pz += (double) pd[r * c + j] * td[to + r * c + j];
                    for (int j = 0; j < c; j++) gd[r * c + j] = (float) (pd[r * c + j] * (td[to + r * c + j] - pz) / n);
                }
                return g;
            }
        };
    }
}
