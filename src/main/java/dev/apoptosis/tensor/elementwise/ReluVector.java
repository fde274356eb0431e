package dev.apoptosis.tensor.elementwise;

import static dev.apoptosis.tensor.elementwise.FloatMathVector.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Vector API loops of {@link Relu}. */
final class ReluVector {
    private ReluVector() {}

    static void forward(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).max(0f).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = Math.max(x[xo + i], 0f);
    }

    static void backward(float[] x, int xo, float[] v, int vo, float[] out, int oo, int n) {
        int i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            zero.blend(FloatVector.fromArray(F, v, vo + i), xv.compare(VectorOperators.GT, 0f)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = x[xo + i] > 0 ? v[vo + i] : 0f;
    }
}
