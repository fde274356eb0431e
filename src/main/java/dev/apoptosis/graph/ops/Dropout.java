package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.elementwise.Elementwise;
import java.util.Set;

/**
 * Inverted dropout with drop probability p, as PyTorch's {@code nn.Dropout(p)}: while the mode has
 * dropout active ({@code TRAIN}, {@code BATCH_STATS}) each value is kept with probability 1 − p and
 * scaled by 1/(1 − p), else zeroed; in {@code EVAL} (or with p = 0) it is the identity and the output
 * is the input tensor itself.
 *
 * <p>The mask m (entries 0 or 1/(1 − p)) is drawn once per pass in forward from {@code frame.random}
 * (so a pass with the same seed draws the same mask) and kept in the frame: every rule of the pass
 * uses that same mask. Given the mask the op is linear: g_x = m ⊙ g_y, ẏ = m ⊙ ẋ, ġ_x = m ⊙ ġ_y; no
 * second-order term.
 */
public final class Dropout extends ElementwiseUnaryOp {
    private final double p;

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
    }

    static Dropout fromAttrs(Attrs a) {
        return new Dropout(a.getDouble("p"));
    }

    public double p() {
        return p;
    }

    @Override public String kind() { return "Dropout"; }
    @Override public Attrs attrs() { return Attrs.builder().put("p", p).build(); }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR, OpProperty.STOCHASTIC);
    }

    @Override
    public Tensor forward(Frame f) {
        Tensor x = f.inputs[0];
        if (!f.mode.dropoutActive() || p == 0) {
            f.saved = null;
            return x;
        }
        float keep = (float) (1.0 / (1.0 - p));
        float[] mask = new float[x.size()];
        for (int i = 0; i < mask.length; i++) mask[i] = f.random.nextDouble() >= p ? keep : 0f;
        f.saved = mask;
        return apply(mask, x);
    }

    /** m ⊙ t, or t itself when the op is the identity in this pass. */
    private static Tensor apply(float[] mask, Tensor t) {
        if (mask == null) return t;
        Tensor r = Tensor.zeros(t.shape());
        Elementwise.mul(mask, 0, t.data(), t.offset(), r.data(), 0, mask.length);
        return r;
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, apply((float[]) f.saved, gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : apply((float[]) f.saved, xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, apply((float[]) f.saved, gyDot));
    }
}
