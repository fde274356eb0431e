package dev.apoptosis.graph;

/**
 * Which second-order terms a reverse pass carrying R-adjoints includes (see docs: second-order.md).
 *
 * <table>
 * <caption>Terms per mode</caption>
 * <tr><th>mode</th><th>loss curvature</th><th>bilinear</th><th>nonlinear</th><th>one pass computes</th></tr>
 * <tr><td>EXACT</td><td>yes</td><td>yes</td><td>yes</td><td>H·v</td></tr>
 * <tr><td>GAUSS_NEWTON</td><td>yes</td><td>no</td><td>no</td><td>G·v = Jᵀ H_ℓ J v</td></tr>
 * <tr><td>OBA</td><td>no</td><td>yes</td><td>no</td><td>OBA's series + parallel connectivity terms</td></tr>
 * </table>
 *
 * <p><b>Bilinear</b> terms come from ops that multiply two things that both depend on θ (Conv/Linear:
 * weight × activation; MatMul of two activations). <b>Nonlinear</b> terms come from ops with a
 * non-zero second derivative in their input (GELU, SiLU, tanh, Softmax, LayerNorm, train-mode BatchNorm).
 */
public enum Curvature {
    EXACT(true, true, true),
    GAUSS_NEWTON(true, false, false),
    OBA(false, true, false);

    private final boolean loss;
    private final boolean bilinear;
    private final boolean nonlinear;

    Curvature(boolean loss, boolean bilinear, boolean nonlinear) {
        this.loss = loss;
        this.bilinear = bilinear;
        this.nonlinear = nonlinear;
    }

    /** Include the loss's own curvature (softmax cross-entropy's Hessian in the logits). */
    public boolean lossCurvature() {
        return loss;
    }

    /** Include the mixed second derivatives of products of two θ-dependent factors. */
    public boolean bilinear() {
        return bilinear;
    }

    /** Include second derivatives of ops in their inputs. */
    public boolean nonlinear() {
        return nonlinear;
    }
}
