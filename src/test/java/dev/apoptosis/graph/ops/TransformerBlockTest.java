package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpRegistry;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Assertions2;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.Fixtures;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pre-norm Transformer encoder block as a graph, ViT style, against PyTorch float64
 * ({@code tools/fixtures/ops_vit_fixtures.py}, case "transformer_block"):
 * tokens [T, D] → ClassToken → PositionalEmbedding → LayerNorm → Linear q, k, v → Reshape [T+1, H, d]
 * → Permute(1, 0, 2) → q·kᵀ (MatMul transposeB) → Scale 1/√d → Softmax → ·v → Permute → Reshape
 * → Linear proj → residual Add → LayerNorm → Linear → GELU → Linear → residual Add → LayerNorm
 * → SelectToken(0) → Linear head → softmax cross-entropy.
 *
 * <p>The fixture gives, for OBA's direction (θ on every Linear) and for a random direction on all
 * parameters, the exact H·v (double backward), G·v (jvp / vjp), the OBA terms (double backward with
 * the loss and GELU/Softmax/LayerNorm frozen) and the nonlinear terms (double backward with the loss,
 * Linear and MatMul frozen), whose sum the generator checked equals the exact product.
 */
class TransformerBlockTest {
    private static final double RTOL = 1e-3;
    private static final double ATOL_OF_MAX = 1e-4;
    private static Fixtures fx;

    @BeforeAll
    static void load() {
        fx = Fixtures.load("ops/vit/transformer_block.txt");
    }

    /** The block with the fixture's sizes; parameters set from the fixture. */
    static Graph block() {
        return block(true);
    }

    /** The block; {@code keyBias} false drops the key projection's bias (see the finite-difference test). */
    static Graph block(boolean keyBias) {
        int t = fx.intAttr("tokens"), d = fx.intAttr("dim"), h = fx.intAttr("heads"), mlp = fx.intAttr("mlp");
        int classes = fx.intAttr("classes"), dh = d / h;
        double eps = fx.doubleAttr("eps");
        GraphBuilder b = new GraphBuilder("vit-block", 1);
        Node x = b.input("x", t, d);
        Node tokens = b.add("pos", new PositionalEmbedding(), b.add("cls", new ClassToken(), x));
        Node u = b.add("ln1", new LayerNorm(eps), tokens);
        Node q = heads(b, "q", b.add("q", Linear.of(d), u), t + 1, h, dh);
        Node k = heads(b, "k", b.add("k", new Linear(d, keyBias), u), t + 1, h, dh);
        Node v = heads(b, "v", b.add("v", Linear.of(d), u), t + 1, h, dh);
        Node scores = b.add("scale", new Scale(1.0 / Math.sqrt(dh)), b.add("scores", new MatMul(true), q, k));
        Node att = b.add("softmax", new Softmax(), scores);
        Node ctx = b.add("context", new MatMul(), att, v);
        Node merged = b.add("merge.reshape", new Reshape(t + 1, d), b.add("merge.permute", new Permute(1, 0, 2), ctx));
        Node res1 = b.add("res1", new Add(), tokens, b.add("proj", Linear.of(d), merged));
        Node m = b.add("ln2", new LayerNorm(eps), res1);
        m = b.add("fc2", Linear.of(d), b.add("gelu", new GELU(), b.add("fc1", Linear.of(mlp), m)));
        Node res2 = b.add("res2", new Add(), res1, m);
        Node cls = b.add("select", new SelectToken(0), b.add("lnf", new LayerNorm(eps), res2));
        Graph g = b.build(b.add("head", Linear.of(classes), cls));
        for (Parameter p : g.parameters()) p.setValue(fx.tensor("p." + p.name()));
        return g;
    }

    /** [T', D] → Reshape [T', H, d] → Permute(1, 0, 2) → [H, T', d]. */
    private static Node heads(GraphBuilder b, String name, Node in, int t, int h, int dh) {
        return b.add(name + ".heads", new Permute(1, 0, 2), b.add(name + ".split", new Reshape(t, h, dh), in));
    }

    static int[] labels() {
        return Arrays.stream(fx.attr("labels").split(",")).mapToInt(Integer::parseInt).toArray();
    }

    static Tensor input() {
        return fx.tensor("x");
    }

    private static ParamVector direction(Graph g, String name) {
        if (name.equals("oba")) return ParamVector.obaDirection(g);
        ParamVector v = ParamVector.zeros(g);
        for (int i = 0; i < v.size(); i++) v.set(i, fx.tensor("v.rand." + v.parameter(i).name()));
        return v;
    }

    /**
     * Elementwise comparison; the absolute part of the tolerance scales with the largest value of the
     * whole quantity (e.g. every block of the exact product along one direction), because some blocks
     * are zero in exact arithmetic (k.bias: softmax ignores a shift shared by all keys) and hold only
     * float32 rounding noise.
     */
    private static void assertMatches(String what, String key, Tensor actual) {
        Fixtures.Array e = fx.array(key);
        String group = key.contains(".") ? key.substring(0, key.lastIndexOf('.', key.lastIndexOf('.') - 1) + 1) : key;
        double scale = 0;
        for (String k : fx.tensorNames()) if (k.startsWith(group)) scale = Math.max(scale, OpFixtureCheck.maxAbs(fx.array(k)));
        Assertions2.assertClose(what, e, actual, RTOL, ATOL_OF_MAX * scale + 1e-7);
    }

    /** Every result of the fixture comparison, by fixture key, computed with the current thread count. */
    private static Map<String, Tensor> results(Graph g) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (Pass p = Pass.forward(g, input(), Mode.BATCH_STATS)) {
            out.put("logits", p.output().copy());
            out.put("loss", Tensor.scalar((float) p.loss(new SoftmaxCrossEntropy(), labels())));
            ParamVector grad = p.backward(false).parameters();
            for (int i = 0; i < grad.size(); i++) out.put("g." + grad.parameter(i).name(), grad.getOrZeros(i));
            for (String dir : new String[] {"oba", "rand"}) {
                ParamVector v = direction(g, dir);
                out.put("zdot." + dir, p.tangents(v).get("head"));
                ParamVector exact = p.curvatureProduct(v, Curvature.EXACT, false).product();
                ParamVector gn = p.curvatureProduct(v, Curvature.GAUSS_NEWTON, false).product();
                ParamVector oba = p.curvatureProduct(v, Curvature.OBA, false).product();
                for (int i = 0; i < v.size(); i++) {
                    String name = v.parameter(i).name();
                    Tensor e = exact.getOrZeros(i), a = gn.getOrZeros(i), o = oba.getOrZeros(i);
                    Tensor nl = Tensor.zeros(e.shape());
                    for (int k = 0; k < nl.size(); k++) nl.setAt(k, e.at(k) - a.at(k) - o.at(k));
                    out.put("exact." + dir + "." + name, e);
                    out.put("gn." + dir + "." + name, a);
                    out.put("oba." + dir + "." + name, o);
                    out.put("nl." + dir + "." + name, nl);
                }
            }
        }
        return out;
    }

    @Test
    void forwardGradientTangentAndAllCurvatureModesMatchPyTorch() {
        Graph g = block();
        Map<String, int[]> before = DerivativeCheck.snapshot(g);
        Map<String, Tensor> r = results(g);
        DerivativeCheck.assertUnchanged(g, before, "forward, backward, tangent and EXACT/GAUSS_NEWTON/OBA passes");
        assertEquals(fx.array("loss").values()[0], r.get("loss").at(0), 1e-5);
        int compared = 0;
        for (Map.Entry<String, Tensor> e : r.entrySet()) {
            if (e.getKey().equals("loss")) continue;
            assertMatches("transformer block " + e.getKey(), e.getKey(), e.getValue());
            compared++;
        }
        assertEquals(1 + 22 + 2 * (1 + 4 * 22), compared);
    }

    @Test
    void scalarKernelsMatchPyTorchToo() {
        Graph g = block();
        Map<String, Tensor> r;
        try {
            Simd.setForceScalar(true);
            r = results(g);
        } finally {
            Simd.setForceScalar(false);
        }
        for (Map.Entry<String, Tensor> e : r.entrySet()) {
            if (!e.getKey().equals("loss")) assertMatches("scalar path " + e.getKey(), e.getKey(), e.getValue());
        }
    }

    @Test
    void obaDirectionIsThetaOnTheLinearLayersOnly() {
        Graph g = block();
        ParamVector v = ParamVector.obaDirection(g);
        int linear = 0;
        for (int i = 0; i < v.size(); i++) {
            String node = v.parameter(i).node().name();
            boolean isLinear = v.parameter(i).node().op() instanceof Linear;
            assertEquals(isLinear, v.get(i) != null, node);
            if (isLinear) linear++;
        }
        assertEquals(14, linear);
    }

    @Test
    void resultsAreBitIdenticalWithOneAndTwoThreads() {
        Graph g = block();
        int threads = Parallel.threads();
        Map<String, Tensor> one, two;
        try {
            Parallel.setThreads(1);
            one = results(g);
            Parallel.setThreads(2);
            two = results(g);
        } finally {
            Parallel.setThreads(threads);
        }
        for (String k : one.keySet()) Assertions2.assertBitIdentical(k, one.get(k).toArray(), two.get(k).toArray());
    }

    /**
     * Finite differences on the whole block, inputs included. The key bias is left out here: its
     * gradient and H·v block are zero in exact arithmetic (softmax ignores a shift shared by all keys),
     * so a finite difference on it measures only float32 noise of the loss; the same Linear rules are
     * checked on q.bias and v.bias.
     */
    @Test
    void rulesAgreeWithFiniteDifferencesOnTheWholeBlock() {
        Graph g = block(false);
        new DerivativeCheck(g, Map.of("x", input()), new SoftmaxCrossEntropy(), labels()).eps(5e-3).fourthOrder().run();
    }

    @Test
    void graphSurvivesAStoreAndRebuild() {
        Graph g = block();
        Graph h = Graph.fromDefs(g.name(), g.toDefs(), g.output().name(), g.state(), null);
        for (Node n : g.nodes()) assertEquals(n.op().attrs(), OpRegistry.create(n.op().kind(), n.op().attrs()).attrs());
        try (Pass a = Pass.forward(g, input(), Mode.EVAL); Pass c = Pass.forward(h, input(), Mode.EVAL)) {
            Assertions2.assertBitIdentical("logits after rebuild", a.output().toArray(), c.output().toArray());
        }
        assertTrue(g.macs() > 0);
    }
}
