package dev.apoptosis.tensor.reduce;

import static dev.apoptosis.tensor.elementwise.FloatMathVector.F;

import jdk.incubator.vector.FloatVector;

/** Vector API loops the softmax kernels need beyond the elementwise ones; bit-identical to the scalar twins. */
final class SoftmaxVector {
    private SoftmaxVector() {}

    /** out = p * (v - c). */
    static void centeredProduct(float[] p, int po, float[] v, int vo, float c, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector pv = FloatVector.fromArray(F, p, po + i);
            pv.mul(FloatVector.fromArray(F, v, vo + i).sub(c)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = p[po + i] * (v[vo + i] - c);
    }

    /** out = v - s * p. */
    static void subtractScaled(float[] v, int vo, float s, float[] p, int po, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector pv = FloatVector.fromArray(F, p, po + i);
            FloatVector.fromArray(F, v, vo + i).sub(pv.mul(s)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = v[vo + i] - s * p[po + i];
    }

    /** out = a * (v - c) - d * p. */
    static void centeredProductMinusScaled(float[] a, int ao, float[] v, int vo, float c, float d, float[] p, int po,
                                           float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector first = FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, v, vo + i).sub(c));
            first.sub(FloatVector.fromArray(F, p, po + i).mul(d)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = a[ao + i] * (v[vo + i] - c) - d * p[po + i];
    }
}
