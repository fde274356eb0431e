package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Loss;
import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import dev.apoptosis.tensor.reduce.CrossEntropyKernels;
import dev.apoptosis.tensor.reduce.SoftmaxKernels;

/**
 * Softmax cross-entropy on logits z [N, C] with integer labels, mean over the batch, optional label
 * smoothing ε (target t = (1−ε)·onehot + ε/C, as PyTorch).
 *
 * <p>Rules: L = −(1/N) Σ_n Σ_c t_nc log p_nc with p = softmax(z);
 * g_z = (p − t)/N; ġ_z = (p ⊙ ż − p (pᵀż))/N when the loss curvature is included, else zero.
 * The arithmetic is {@link CrossEntropyKernels}' and {@link SoftmaxKernels#softmaxJvp}'s.
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
        CrossEntropyKernels.Result r = CrossEntropyKernels.forward(z, labels, (float) smoothing);
        Tensor p = r.probs();
        return new Evaluation() {
            @Override public double value() {
                return r.loss();
            }

            @Override public Tensor gradient() {
                return CrossEntropyKernels.backward(p, labels, (float) smoothing);
            }

            @Override public Tensor rGradient(Tensor zDot, Curvature curv) {
                if (zDot == null || !curv.lossCurvature()) return null;
                Shapes.requireSame("SoftmaxCrossEntropy.rGradient", z, zDot);
                Tensor g = SoftmaxKernels.softmaxJvp(p, zDot);
                Elementwise.scale(1f / n, g.data(), g.offset(), g.data(), g.offset(), g.size());
                return g;
            }
        };
    }
}
