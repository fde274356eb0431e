package dev.apoptosis.tensor.elementwise;

import dev.apoptosis.tensor.Kernels;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;

/**
 * The kernels of a smooth elementwise activation φ, written once for every such activation
 * ({@link Gelu}, {@link Silu}, {@link TanhKernels}); each subclass holds only its own math.
 *
 * <p>Three kernels serve the four autodiff rules of the op:
 * <ul>
 *   <li>{@code forward}: y = φ(x);</li>
 *   <li>{@code backward}: φ'(x)·v, the VJP with v = g, and equally the tangent (JVP) with v = ẋ
 *       and the linear part of rBackward with v = ġ;</li>
 *   <li>{@code rBackward}: φ'(x)·ġ + φ''(x)·ẋ·g, the R-adjoint including the nonlinear term, with
 *       φ'·ġ fused onto the rounded (φ''·ẋ)·g.</li>
 * </ul>
 * Each comes as an array kernel over a window and as a tensor overload returning a new tensor.
 * Inputs and outputs may be the same window (in place) but must not partially overlap.
 *
 * <p>Two paths compute them, chosen per call by {@link Simd#enabled()}: plain loops over the
 * subclass's scalar functions, and the subclass's Vector API twin (GeluVector, ...), which is
 * bit-identical lane by lane. The twin is named only in method references returned by the
 * {@code vector*} methods, called only on the vector path, so the scalar path never loads a
 * {@code jdk.incubator.vector} class.
 *
 * <p>The vector twins keep their own block loops rather than sharing one driver here: a shared
 * driver calling per-activation block methods lets C2 inline two activations' vector code into one
 * compilation once both have run, which outgrew its inlining budget and made SiLU 2-3x slower
 * after GELU had run (ElementwiseBench). Each twin's entry points stay separate methods, reached
 * through separate method references, so each compiles on its own.
 */
public abstract class ActivationKernels {
    private final String name;

    /** {@code name} prefixes the kernels' error messages ("gelu", "gelu.backward", ...). */
    ActivationKernels(String name) {
        this.name = name;
    }

    /** The name the kernels' error messages start with ("gelu", "silu", "tanh"). */
    public final String name() {
        return name;
    }

    /** φ(x). */
    public abstract float value(float x);

    /** φ'(x). */
    public abstract float derivative(float x);

    /** φ''(x). */
    public abstract float secondDerivative(float x);

    /** φ'(x)·ġ + φ''(x)·ẋ·g for one element, rounded exactly as the kernels round it. */
    abstract float rBackward(float x, float g, float gDot, float xDot);

    /** The Vector API forward, as a method reference. Call only when {@link Simd#enabled()}. */
    abstract Pointwise.Unary vectorForward();

    /** The Vector API backward, as a method reference. Call only when {@link Simd#enabled()}. */
    abstract Pointwise.Binary vectorBackward();

    /** The Vector API rBackward, as a method reference. Call only when {@link Simd#enabled()}. */
    abstract Pointwise.Quaternary vectorRBackward();

    /** y[i] = φ(x[i]). */
    public final void forward(float[] x, int xOff, float[] y, int yOff, int n) {
        Pointwise.unary(name, x, xOff, y, yOff, n, Kernels.GRAIN_COSTLY, forwardLoop());
    }

    /** out[i] = φ'(x[i]) · v[i]: the backward (v = g) and the tangent (v = ẋ). */
    public final void backward(float[] x, int xOff, float[] v, int vOff, float[] out, int outOff, int n) {
        Pointwise.binary(name + ".backward", x, xOff, v, vOff, out, outOff, n, Kernels.GRAIN_COSTLY, backwardLoop());
    }

    /** out[i] = φ'(x)·ġ + φ''(x)·ẋ·g at index i. */
    public final void rBackward(float[] x, int xOff, float[] g, int gOff, float[] gDot, int gDotOff,
                                float[] xDot, int xDotOff, float[] out, int outOff, int n) {
        Pointwise.quaternary(name + ".rBackward", x, xOff, g, gOff, gDot, gDotOff, xDot, xDotOff, out, outOff, n,
                Kernels.GRAIN_COSTLY, rBackwardLoop());
    }

    /** φ(x) as a new tensor. */
    public final Tensor forward(Tensor x) {
        return Pointwise.unary(x, name, Kernels.GRAIN_COSTLY, forwardLoop());
    }

    /** φ'(x) ⊙ v as a new tensor; v is g (backward) or ẋ (tangent). */
    public final Tensor backward(Tensor x, Tensor v) {
        return Pointwise.binary(x, v, name + ".backward", Kernels.GRAIN_COSTLY, backwardLoop());
    }

    /** φ'(x) ⊙ ġ + φ''(x) ⊙ ẋ ⊙ g as a new tensor. */
    public final Tensor rBackward(Tensor x, Tensor g, Tensor gDot, Tensor xDot) {
        return Pointwise.quaternary(x, g, gDot, xDot, name + ".rBackward", Kernels.GRAIN_COSTLY, rBackwardLoop());
    }

    private Pointwise.Unary forwardLoop() {
        if (Simd.enabled()) return vectorForward();
        return (x, xo, y, yo, n) -> {
            for (int i = 0; i < n; i++) y[yo + i] = value(x[xo + i]);
        };
    }

    private Pointwise.Binary backwardLoop() {
        if (Simd.enabled()) return vectorBackward();
        return (x, xo, v, vo, out, oo, n) -> {
            for (int i = 0; i < n; i++) out[oo + i] = derivative(x[xo + i]) * v[vo + i];
        };
    }

    private Pointwise.Quaternary rBackwardLoop() {
        if (Simd.enabled()) return vectorRBackward();
        return (x, xo, g, go, gd, gdo, xd, xdo, out, oo, n) -> {
            for (int i = 0; i < n; i++) out[oo + i] = rBackward(x[xo + i], g[go + i], gd[gdo + i], xd[xdo + i]);
        };
    }
}
