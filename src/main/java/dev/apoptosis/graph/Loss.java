package dev.apoptosis.graph;

import dev.apoptosis.tensor.Tensor;

/**
 * A scalar loss on the graph output, with the same derivative rules as an op: its value, its
 * gradient in the output, and the directional derivative of that gradient (the R-gradient), which
 * is non-zero only when the curvature mode includes the loss curvature.
 */
public interface Loss {
    /** Evaluates the loss of {@code output} against {@code labels}. */
    Evaluation evaluate(Tensor output, int[] labels);

    /** One evaluation's value and derivative rules. */
    interface Evaluation {
        double value();

        /** g_z = ∂L/∂z. */
        Tensor gradient();

        /** ġ_z for the output tangent ż; null (zero) when {@code c} excludes the loss curvature or ż is null. */
        Tensor rGradient(Tensor outputTangent, Curvature c);
    }
}
