package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Whether central finite differences with step ε are valid for a piecewise-linear network: no ReLU
 * input and no max-pool window winner may switch within ±ε along the directions that
 * {@link dev.apoptosis.testing.DerivativeCheck} uses (its joint direction and each single-parameter
 * direction, drawn exactly as it draws them). A switch inside the step makes finite differences of
 * gradients jump by O(1/ε), so a failing check there says nothing about the rules.
 *
 * <p>The margin of a unit is its distance to the kink divided by its rate of approach, |z| / |ż|;
 * {@link #smallest} returns the smallest over all units and directions, in units of t.
 */
final class KinkMargin {
    private KinkMargin() {}

    /** The directions DerivativeCheck(seed) uses: joint (v, ẋ) first, then v restricted to each slot. */
    static List<Object[]> derivativeCheckDirections(Graph g, Map<String, Tensor> inputs, long seed) {
        Random rng = new Random(seed);
        ParamVector v = ParamVector.zeros(g);
        for (int i = 0; i < v.size(); i++) v.set(i, Tensor.randn(rng, 1f, g.parameters().get(i).spec().shape()));
        String in = g.inputs().get(0).name();
        Map<String, Tensor> xDot = Map.of(in, Tensor.randn(rng, 1f, inputs.get(in).shape()));
        List<Object[]> dirs = new ArrayList<>();
        dirs.add(new Object[] {v, xDot});
        for (int i = 0; i < v.size(); i++) {
            ParamVector vi = ParamVector.zeros(g);
            vi.set(i, v.get(i));
            dirs.add(new Object[] {vi, Map.<String, Tensor>of()});
        }
        return dirs;
    }

    @SuppressWarnings("unchecked")
    static double smallest(Graph g, Map<String, Tensor> inputs, Mode mode, long seed) {
        double worst = Double.POSITIVE_INFINITY;
        try (Pass p = Pass.forward(g, inputs, mode, seed, true)) {
            for (Object[] d : derivativeCheckDirections(g, inputs, seed)) {
                Map<String, Tensor> tan = p.tangents((ParamVector) d[0], (Map<String, Tensor>) d[1]);
                for (Node n : g.nodes()) {
                    if (n.op() instanceof ReLU) {
                        String src = n.inputs().get(0).name();
                        worst = Math.min(worst, reluMargin(p.nodeOutput(src), tan.get(src)));
                    } else if (n.op() instanceof MaxPool2d mp) {
                        String src = n.inputs().get(0).name();
                        worst = Math.min(worst, poolMargin(mp, p.nodeOutput(src), tan.get(src)));
                    }
                }
            }
        }
        return worst;
    }

    private static double reluMargin(Tensor z, Tensor zDot) {
        if (zDot == null) return Double.POSITIVE_INFINITY;
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < z.size(); i++) {
            double rate = Math.abs(zDot.at(i));
            if (rate > 0) m = Math.min(m, Math.abs(z.at(i)) / rate);
        }
        return m;
    }

    /** Every pair of in-window candidates whose order could change: |a − b| / |ȧ − ḃ| (ties that move together are harmless). */
    private static double poolMargin(MaxPool2d op, Tensor x, Tensor xDot) {
        if (xDot == null) return Double.POSITIVE_INFINITY;
        int[] k = op.attrs().getInts("kernel"), s = op.attrs().getInts("stride"), pad = op.attrs().getInts("padding"),
                dil = op.attrs().getInts("dilation");
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = (h + 2 * pad[0] - dil[0] * (k[0] - 1) - 1) / s[0] + 1, ow = (w + 2 * pad[1] - dil[1] * (k[1] - 1) - 1) / s[1] + 1;
        double m = Double.POSITIVE_INFINITY;
        for (int pl = 0; pl < planes; pl++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int best = -1;
                    List<Integer> cands = new ArrayList<>();
                    for (int i = 0; i < k[0]; i++) {
                        for (int j = 0; j < k[1]; j++) {
                            int ih = r * s[0] - pad[0] + i * dil[0], iw = q * s[1] - pad[1] + j * dil[1];
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            int idx = (pl * h + ih) * w + iw;
                            cands.add(idx);
                            if (best < 0 || x.at(idx) > x.at(best)) best = idx;
                        }
                    }
                    for (int c : cands) {
                        if (c == best) continue;
                        double gap = x.at(best) - x.at(c), rate = Math.abs(xDot.at(best) - xDot.at(c));
                        if (rate > 0) m = Math.min(m, gap / rate);
                    }
                }
            }
        }
        return m;
    }
}
