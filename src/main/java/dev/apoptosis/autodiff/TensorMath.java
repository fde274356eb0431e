package dev.apoptosis.autodiff;

import dev.apoptosis.tensor.Shapes;
import dev.apoptosis.tensor.Tensor;

/**
 * The few whole-tensor operations the engine itself needs (summing adjoints from several consumers).
 * Ops use the kernels in {@code dev.apoptosis.tensor} directly.
 */
public final class TensorMath {
    private TensorMath() {}

    /** A new tensor a + b; shapes must match. */
    public static Tensor add(Tensor a, Tensor b) {
        Shapes.requireSame("add", a, b);
        Tensor c = Tensor.zeros(a.shape());
        float[] x = a.data(), y = b.data(), z = c.data();
        int ao = a.offset(), bo = b.offset(), n = a.size();
        for (int i = 0; i < n; i++) z[i] = x[ao + i] + y[bo + i];
        return c;
    }
}
