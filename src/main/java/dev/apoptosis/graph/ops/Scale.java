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
 * Multiplication by a constant: y = α·x, with α a fixed attribute (not a parameter), e.g. the 1/√d of
 * attention scores or a residual branch's scale. Linear: g_x = α g_y, ẏ = α ẋ, ġ_x = α ġ_y.
 */
public final class Scale extends ElementwiseUnaryOp {
    private final double factor;

    public Scale(double factor) {
        if (!Double.isFinite(factor)) throw new IllegalArgumentException("Scale: factor must be finite, got " + factor);
        this.factor = factor;
    }

    static Scale fromAttrs(Attrs a) {
        return new Scale(a.getDouble("factor"));
    }

    public double factor() {
        return factor;
    }

    @Override public String kind() { return "Scale"; }
    @Override public Attrs attrs() { return Attrs.builder().put("factor", factor).build(); }

    @Override
    public Set<OpProperty> properties() {
        return Set.of(OpProperty.PIECEWISE_LINEAR);
    }

    private Tensor scaled(Tensor t) {
        return Elementwise.scale((float) factor, t);
    }

    @Override
    public Tensor forward(Frame f) {
        return scaled(f.inputs[0]);
    }

    @Override
    public void backward(Frame f, Tensor gy, Adjoints out) {
        if (out.wantsInput(0)) out.input(0, scaled(gy));
    }

    @Override
    public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) {
        return xDot[0] == null ? null : scaled(xDot[0]);
    }

    @Override
    public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
        if (gyDot != null && out.wantsInput(0)) out.input(0, scaled(gyDot));
    }
}
