package dev.apoptosis.tensor.elementwise;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;

/**
 * ReLU, {@code y = max(x, 0)}, and its derivative mask: {@code backward(x, v) = v where x > 0,
 * else 0}. Piecewise linear: the tangent is {@code backward(x, ẋ)} and rBackward has no
 * second-order term, it is {@code backward(x, ġ)}. NaN inputs give NaN outputs and a zero gradient
 * (as PyTorch's threshold backward). Vector and scalar paths are bit-identical.
 */
public final class Relu {
    private Relu() {}

    /** y[i] = max(x[i], 0). */
    public static void forward(float[] x, int xOff, float[] y, int yOff, int n) {
        Pointwise.unary("relu", x, xOff, y, yOff, n, Kernels.GRAIN_CHEAP,
                Simd.enabled() ? ReluVector::forward : Relu::forwardLoop);
    }

    /** out[i] = x[i] > 0 ? v[i] : 0; out may be v itself (each element is read before it is written). */
    public static void backward(float[] x, int xOff, float[] v, int vOff, float[] out, int outOff, int n) {
        Pointwise.binary("relu.backward", x, xOff, v, vOff, out, outOff, n, Kernels.GRAIN_CHEAP,
                Simd.enabled() ? ReluVector::backward : Relu::backwardLoop);
    }

    public static Tensor forward(Tensor x) {
        return Pointwise.unary(x, "relu", Kernels.GRAIN_CHEAP, Simd.enabled() ? ReluVector::forward : Relu::forwardLoop);
    }

    /** v where x > 0, else 0; x may be the input or the output of the ReLU (same sign pattern). */
    public static Tensor backward(Tensor x, Tensor v) {
        return Pointwise.binary(x, v, "relu.backward", Kernels.GRAIN_CHEAP,
                Simd.enabled() ? ReluVector::backward : Relu::backwardLoop);
    }

    private static void forwardLoop(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = Math.max(x[xo + i], 0f);
    }

    private static void backwardLoop(float[] x, int xo, float[] v, int vo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] > 0 ? v[vo + i] : 0f;
    }
}
