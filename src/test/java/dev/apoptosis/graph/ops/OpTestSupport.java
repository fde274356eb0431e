package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.OpRegistry;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;

/** Checks shared by the per-op tests of this package. */
final class OpTestSupport {
    private OpTestSupport() {}

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Random(seed), 1f, shape);
    }

    /** Values (k − n/2)/16 for a random permutation of k: distinct, exact, 1/16 apart (no max-pool ties under finite differences). */
    static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        int n = t.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (int i = 0; i < n; i++) t.setAt(i, (perm[i] - n / 2f) / 16f);
        return t;
    }

    /** Replaces every trainable parameter and buffer with seeded random values (buffers named *var positive). */
    static void randomizeState(Graph g, long seed) {
        Random r = new Random(seed);
        for (Parameter p : g.parameters()) p.setValue(Tensor.randn(r, 0.5f, p.spec().shape()));
        for (Parameter p : g.buffers()) {
            Tensor t = p.name().endsWith("var") ? Tensor.uniform(r, 0.5f, 1.5f, p.spec().shape()) : Tensor.randn(r, 0.3f, p.spec().shape());
            p.setValue(t);
        }
    }

    /** The op rebuilt from its attributes through the registry has the same kind and attributes. */
    static void assertRebuildsFromAttrs(Op op) {
        Op again = OpRegistry.create(op.kind(), op.attrs());
        Assertions.assertEquals(op.getClass(), again.getClass());
        Assertions.assertEquals(op.attrs(), again.attrs());
        Assertions.assertEquals(op.properties(), again.properties());
    }

    /** The op kind rebuilt from empty/partial attrs applies its documented defaults. */
    static Op fromAttrs(String kind, Attrs a) {
        return OpRegistry.create(kind, a);
    }

    /** Runs {@code r}, expects IllegalArgumentException whose message contains every part. */
    static IllegalArgumentException assertError(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        return e;
    }

    /**
     * OBA + GAUSS_NEWTON = EXACT along OBA's direction on the blocks {@code blocks} accepts, for a
     * network whose second-order terms are all bilinear on those blocks; and the OBA term is non-zero
     * on every PARAMETER_LAYER weight that has a parameter layer before it (else the identity could
     * hold by accident). Returns the three products (EXACT, GN, OBA) for further checks.
     */
    static ParamVector[] assertObaPlusGnIsExact(Graph g, Map<String, Tensor> inputs, int[] labels, Mode mode,
                                                Predicate<Parameter> blocks) {
        ParamVector v = ParamVector.obaDirection(g);
        try (Pass p = Pass.forward(g, inputs, mode, 5L, true)) {
            p.loss(new SoftmaxCrossEntropy(), labels);
            ParamVector exact = p.curvatureProduct(v, Curvature.EXACT, false).product();
            ParamVector gn = p.curvatureProduct(v, Curvature.GAUSS_NEWTON, false).product();
            ParamVector oba = p.curvatureProduct(v, Curvature.OBA, false).product();
            int checked = 0;
            for (int i = 0; i < v.size(); i++) {
                Parameter par = v.parameter(i);
                if (!blocks.test(par)) continue;
                checked++;
                Tensor e = exact.getOrZeros(i), a = gn.getOrZeros(i), o = oba.getOrZeros(i);
                double num = 0, den = 0;
                for (int k = 0; k < e.size(); k++) {
                    double d = e.at(k) - (a.at(k) + o.at(k));
                    num += d * d;
                    den += e.at(k) * (double) e.at(k);
                }
                double rel = Math.sqrt(num / Math.max(den, 1e-30));
                assertTrue(rel < 1e-4, "OBA + GN differs from EXACT on " + par.name() + " by " + rel);
            }
            assertTrue(checked > 0, "no block checked");
            boolean anyObaWeight = false;
            for (int i = 0; i < v.size(); i++) {
                Parameter par = v.parameter(i);
                if (par.node().op().has(OpProperty.PARAMETER_LAYER) && par.spec().name().equals("weight")) {
                    Tensor o = oba.getOrZeros(i);
                    double n = 0;
                    for (int k = 0; k < o.size(); k++) n += o.at(k) * (double) o.at(k);
                    anyObaWeight |= n > 1e-12;
                }
            }
            assertTrue(anyObaWeight, "every OBA weight term is zero: the identity would hold by accident");
            return new ParamVector[] {exact, gn, oba};
        }
    }
}
