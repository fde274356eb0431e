package dev.apoptosis.graph.ops;

import dev.apoptosis.tensor.Tensor;
import java.util.Arrays;

/**
 * Recognises the direction every importance criterion uses: v = θ, the weight itself. A bilinear op
 * y = W⋆x then has two terms with the same weight, which linearity folds into one product:
 * the tangent W⋆ẋ + Ẇ⋆x = W⋆(x + ẋ) and the R-adjoint Wᵀ⋆ġ + Ẇᵀ⋆g = Wᵀ⋆(ġ + g). That is one
 * convolution (or GEMM) instead of a pair in each, a quarter of a curvature pass's convolutions.
 *
 * <p>"Is the weight" means bit for bit (the same tensor, or a copy such as
 * {@code ParamVector.obaDirection}'s), so the folded product is the same quantity, rounded once
 * more (x + ẋ in float) instead of summing two products. A comparison reads the weight once and stops
 * at the first differing entry; against a convolution's cost it is negligible.
 */
final class SelfDirection {
    private SelfDirection() {}

    /** True if {@code direction} holds exactly the values of {@code weight} (same shape, same bits). */
    static boolean is(Tensor direction, Tensor weight) {
        if (direction == weight) return true;
        if (direction == null || !direction.sameShape(weight)) return false;
        int n = weight.size();
        return Arrays.equals(direction.data(), direction.offset(), direction.offset() + n, weight.data(), weight.offset(),
                weight.offset() + n);
    }
}
