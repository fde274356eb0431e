package dev.apoptosis.tensor.elementwise;

import static dev.apoptosis.tensor.elementwise.FloatMathVector.F;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API loops of {@link Elementwise}. Each lane does exactly the scalar loop's one or two
 * IEEE operations (Java never fuses a multiply and an add), so results are bit-identical to
 * the scalar twins whatever the lane count or tail.
 */
public final class ElementwiseVector {
    private ElementwiseVector() {}

    static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
    }

    static void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = a[ao + i] - b[bo + i];
    }

    /** out = a * b (elementwise). */
    public static void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = a[ao + i] * b[bo + i];
    }

    /** out = alpha * x. */
    public static void scale(float alpha, float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).mul(alpha).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = alpha * x[xo + i];
    }

    /** out = x + s. */
    public static void addScalar(float[] x, int xo, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).add(s).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = x[xo + i] + s;
    }

    /** y += alpha * x. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector.fromArray(F, y, yo + i).add(FloatVector.fromArray(F, x, xo + i).mul(alpha)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** y += a * b. */
    static void mulAdd(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector p = FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, b, bo + i));
            FloatVector.fromArray(F, y, yo + i).add(p).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += a[ao + i] * b[bo + i];
    }
}
