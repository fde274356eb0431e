package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Loss;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import java.util.Map;

/**
 * OBA + GAUSS_NEWTON = EXACT along OBA's direction, for graphs with no nonlinear term (only
 * Linear, MatMul and piecewise-linear ops): the identity that shows every second-order term of an op
 * is filed under the right curvature flag. Also returns the largest OBA block norm so callers can
 * assert that the check was not vacuous.
 */
final class CurvatureIdentity {
    private CurvatureIdentity() {}

    static double assertObaPlusGaussNewtonIsExact(Graph g, Tensor input, Loss loss, int[] labels) {
        ParamVector v = ParamVector.obaDirection(g);
        double maxOba = 0;
        try (Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), input), Mode.BATCH_STATS, 0L, true)) {
            p.loss(loss, labels);
            ParamVector exact = p.curvatureProduct(v, Curvature.EXACT, false).product();
            ParamVector gn = p.curvatureProduct(v, Curvature.GAUSS_NEWTON, false).product();
            ParamVector oba = p.curvatureProduct(v, Curvature.OBA, false).product();
            for (int i = 0; i < v.size(); i++) {
                Tensor e = exact.getOrZeros(i), a = gn.getOrZeros(i), o = oba.getOrZeros(i);
                double num = 0, den = 0, on = 0;
                for (int k = 0; k < e.size(); k++) {
                    double d = e.at(k) - (a.at(k) + (double) o.at(k));
                    num += d * d;
                    den += (double) e.at(k) * e.at(k);
                    on += (double) o.at(k) * o.at(k);
                }
                maxOba = Math.max(maxOba, Math.sqrt(on));
                double rel = Math.sqrt(num / Math.max(den, 1e-30));
                assertTrue(rel < 1e-5, "OBA + GN differs from EXACT on " + v.parameter(i).name() + " by " + rel);
            }
        }
        return maxOba;
    }
}
