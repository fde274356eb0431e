package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Loss;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * The surgery invariant: zero every member slice of some random channels of a group (so those
 * channels carry exact zeros everywhere), remove them, and the model's outputs do not change; the
 * smaller graph then runs forward, backward and an EXACT H·v pass.
 */
final class SurgeryInvariant {
    private SurgeryInvariant() {}

    /** Checks the invariant for {@code group} of {@code g} (the graph's weights are changed: pass a copy). */
    static Graph check(Graph g, int groupId, Tensor input, Random rng) {
        DependencyGroups groups = DependencyGroups.of(g);
        Group grp = groups.get(groupId);
        int n = grp.channels();
        int k = 1 + rng.nextInt(Math.max(1, n / 2));
        int[] perm = shuffled(n, rng);
        int[] gone = Arrays.copyOf(perm, Math.min(k, n - 1));
        for (Member m : grp.members()) {
            Parameter p = g.parameter(m.node() + "." + m.tensor());
            if (!p.trainable()) continue;
            for (int c : gone) zeroSlice(p.value(), m.axis(), grp.indicesOf(m, c));
        }
        Tensor before = forward(g, input);
        Surgery.Result r = Surgery.remove(groups, Map.of(grp, gone));
        Graph smaller = r.graph();
        Tensor after = forward(smaller, input);
        assertArrayEquals(before.shape(), after.shape());
        if (grp.exact()) Assertions2.assertClose(grp + ": outputs after removing " + Arrays.toString(gone), before, after, 1e-4, 1e-5);
        assertEquals(r.record().after().macs(), smaller.macs());
        assertTrue(smaller.macs() < g.macs() || smaller.numParameters() < g.numParameters(), "surgery made " + grp + " no smaller");
        runsAllPasses(smaller, input);
        return smaller;
    }

    static void runsAllPasses(Graph g, Tensor input) {
        int batch = input.dim(0);
        int classes = g.output().outputShape()[g.output().outputShape().length - 1];
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = i % classes;
        try (Pass p = Pass.forward(g, input, Mode.BATCH_STATS)) {
            double loss = p.loss(new dev.apoptosis.graph.ops.SoftmaxCrossEntropy(), labels);
            assertTrue(Double.isFinite(loss));
            p.backward(false);
            ParamVector v = ParamVector.values(g, q -> true);
            Pass.CurvatureProduct hv = p.curvatureProduct(v, Curvature.EXACT, false);
            for (int i = 0; i < hv.product().size(); i++) {
                Tensor t = hv.product().get(i);
                if (t == null) continue;
                for (int j = 0; j < t.size(); j++) assertTrue(Float.isFinite(t.at(j)), "H·v of " + hv.product().parameter(i).name());
            }
        }
    }

    static Tensor forward(Graph g, Tensor input) {
        try (Pass p = Pass.forward(g, input, Mode.EVAL)) {
            return p.output().copy();
        }
    }

    static void zeroSlice(Tensor t, int axis, int[] indices) {
        int[] s = t.shape();
        int inner = 1, outer = 1;
        for (int a = axis + 1; a < s.length; a++) inner *= s[a];
        for (int a = 0; a < axis; a++) outer *= s[a];
        float[] d = t.data();
        for (int o = 0; o < outer; o++) {
            for (int i : indices) {
                int base = t.offset() + (o * s[axis] + i) * inner;
                Arrays.fill(d, base, base + inner, 0f);
            }
        }
    }

    static int[] shuffled(int n, Random rng) {
        return dev.apoptosis.data.Seeds.permutation(n, new java.util.SplittableRandom(rng.nextLong()));
    }
}
